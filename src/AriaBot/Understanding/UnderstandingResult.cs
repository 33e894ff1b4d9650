using BotRuntime.Privacy;
using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>What the caller knows that helps understanding one message.</summary>
public sealed record UnderstandingContext
{
    public static UnderstandingContext Empty { get; } = new();

    /// <summary>Plans or items the customer may see; matched by name, synonym, partial name or small typo.</summary>
    public IReadOnlyList<NamedItem> Catalog { get; init; } = [];

    /// <summary>The account's currency (ISO 4217); default USD for English, EUR for Spanish.</summary>
    public string? Currency { get; init; }

    /// <summary>The user's time zone for resolving "tomorrow"; default the time provider's local zone.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>Values known to be secret in this conversation (one-time codes…), removed before anything else.</summary>
    public IReadOnlyList<string> KnownSecrets { get; init; } = [];

    /// <summary>
    /// When the message is not understood in its locale but reads as another supported language and is understood
    /// there, answer with that language's understanding (its <see cref="UnderstandingResult.Culture"/> says which).
    /// Default false: only the caller that can switch the conversation's language asks for it.
    /// </summary>
    public bool TryOtherLanguages { get; init; }
}

/// <summary>
/// Entities found in a message, without overlaps: a number inside an amount, a date, a phone number, an e-mail
/// address or a catalog name ("Data 100") is not also reported as a free number.
/// </summary>
public sealed record UnderstoodEntities(
    IReadOnlyList<NumberMatch> Numbers,
    IReadOnlyList<MoneyMatch> Money,
    IReadOnlyList<DateTimeMatch> Dates,
    IReadOnlyList<SequenceMatch> Emails,
    IReadOnlyList<SequenceMatch> Phones,
    string Currency)
{
    public static UnderstoodEntities None(string currency) => new([], [], [], [], [], currency);

    /// <summary>
    /// A count to pre-fill seats/units/quantity: the first free positive whole number ("3 seats", "tres
    /// licencias"). Articles ("a", "un", "una") are not counts unless followed by a unit word ("one seat").
    /// </summary>
    public int? Quantity { get; init; }

    /// <summary>
    /// An amount to pre-fill a payment: the first amount with a stated currency (which may differ from
    /// <see cref="Currency"/>: check <see cref="MoneyMatch.Currency"/>), else a single free number taken in the
    /// account currency.
    /// </summary>
    public MoneyMatch? Amount { get; init; }

    public DateTimeMatch? Date => Dates.Count > 0 ? Dates[0] : null;

    public string? Email => Emails.Count > 0 ? Emails[0].Value : null;

    public string? Phone => Phones.Count > 0 ? Phones[0].Value : null;
}

/// <summary>The reading of one free-text message.</summary>
public sealed record UnderstandingResult
{
    /// <summary>The message with card numbers and passwords replaced by markers: safe to log or show an agent.</summary>
    public required string Text { get; init; }

    public required BotCulture Culture { get; init; }

    /// <summary>The best intent, or <see cref="Intent.None"/> when nothing scored above the floor.</summary>
    public required Intent Intent { get; init; }

    public required double Score { get; init; }

    /// <summary>True when <see cref="Score"/> reaches the confidence threshold: route straight to the intent.</summary>
    public required bool IsConfident { get; init; }

    /// <summary>
    /// The message is about nothing the bot does (the off-topic class won, see <see cref="OpenSet"/>): answer it
    /// once, honestly, with the menu; never "did you mean", never an action. <see cref="Intent"/> is then
    /// <see cref="Intent.None"/>.
    /// </summary>
    public bool IsOffTopic { get; init; }

    /// <summary>The off-topic class's probability (0–1); it is not among <see cref="Intents"/>.</summary>
    public double OffTopicScore { get; init; }

    /// <summary>All intents, best first (the off-topic class excluded).</summary>
    public required IReadOnlyList<IntentScore> Intents { get; init; }

    /// <summary>When not confident but not hopeless: the top two intents, to offer as "did you mean" buttons.</summary>
    public required IReadOnlyList<IntentScore> Suggestions { get; init; }

    public required UnderstoodEntities Entities { get; init; }

    /// <summary>Catalog items mentioned, best first (only those worth considering).</summary>
    public required IReadOnlyList<NamedItemMatch> CatalogMatches { get; init; }

    /// <summary>The one item the message names, or null when none or when several fit about equally (see <see cref="CatalogAmbiguous"/>).</summary>
    public NamedItemMatch? NamedItem => CatalogMatches.Count > 0 && !CatalogAmbiguous ? CatalogMatches[0] : null;

    public required bool CatalogAmbiguous { get; init; }

    /// <summary>What sensitive data was found and removed (kinds and positions only, never the values).</summary>
    public required RedactionResult Privacy { get; init; }

    /// <summary>The user typed a card number or password: say <c>CommonWords.PrivacyWarning</c> and never echo the message.</summary>
    public bool ShouldWarnAboutPrivacy => Privacy.ShouldWarnUser;
}
