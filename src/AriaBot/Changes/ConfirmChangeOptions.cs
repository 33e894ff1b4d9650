using System.Text.Json;

namespace AriaBot.Changes;

/// <summary>What a use case asks <see cref="ConfirmChangeDialog"/> to preview, confirm and apply.</summary>
public sealed class ConfirmChangeOptions
{
    /// <summary>The <see cref="IPreviewedChange.Kind"/> that runs it.</summary>
    public required string Kind { get; init; }

    /// <summary>The Aria request, as <see cref="ChangeRequest.From{TRequest}"/> made it; <c>do_write</c> and the receipt id are set here.</summary>
    public required JsonElement Request { get; init; }

    /// <summary>The card's title, in the customer's words ("Switch from Standard to Premium").</summary>
    public required string Title { get; init; }

    /// <summary>What to say once Aria applied it.</summary>
    public required string DoneText { get; init; }

    /// <summary>
    /// What to say once Aria applied it when the write's reply carries a <see cref="ChangeApplied.Detail"/> (an order
    /// number): <see cref="DetailPlaceholder"/> in it is replaced by the detail. Null, or no detail (a lost reply
    /// proven committed by reading the account): <see cref="DoneText"/>.
    /// </summary>
    public string? DoneTextWithDetail { get; init; }

    /// <summary>Stands for <see cref="ChangeApplied.Detail"/> in <see cref="DoneTextWithDetail"/>; pass it as the sentence's placeholder value.</summary>
    public const string DetailPlaceholder = "{detail}";

    /// <summary>A short plain description for the audit log and for a later "your earlier request…" message.</summary>
    public required string Description { get; init; }

    /// <summary>What else happens, worded for the customer (added under Aria's lines).</summary>
    public List<string> Consequences { get; init; } = [];

    /// <summary>The account's currency (Aria's replies carry amounts only).</summary>
    public required string Currency { get; init; }

    /// <summary>When the change applies, worded for the customer; null when it follows the client's rule and Aria does not say.</summary>
    public string? Effective { get; init; }

    /// <summary>Supplemental plans on the account (plan number → name), so the preview can say which ones end.</summary>
    public Dictionary<long, string> AddOns { get; init; } = [];

    /// <summary>
    /// What the change's <see cref="IWriteReconciler"/> needs to recognise the write in the account when the request
    /// alone does not tell (an add: the plan instances there before it), kept in the write intent. Default: the request.
    /// </summary>
    public JsonElement? Expectation { get; init; }

    /// <summary>
    /// What the use case already read of the account in this turn, handed to the first preview only
    /// (<see cref="PreviewContext.ReadingOfThisTurn"/>) so the same account is not read twice in one turn. Never stored:
    /// a later preview — a stale confirmation's refresh, a reprompt after sign-in — reads Aria again.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? ReadingOfThisTurn { get; init; }
}

public enum ChangeOutcome
{
    /// <summary>Aria applied it.</summary>
    Committed,
    /// <summary>Nothing was changed (declined, refused, abandoned).</summary>
    NotDone,
    /// <summary>It could not be proven either way; the customer was told and offered a person.</summary>
    Unknown,
}

/// <summary>How the confirmation ended, for the use case to carry on from.</summary>
/// <param name="Refusal">Aria's refusal of the write, when it refused (a declined payment offers another method).</param>
public sealed record ChangeResult(ChangeOutcome Outcome, string? Detail = null, Aria.Client.AriaError? Refusal = null);
