using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AriaBot.Changes;

/// <summary>One line of what Aria says a change will bill or credit, in Aria's own words.</summary>
public sealed record PreviewLine(string Description, decimal Amount, decimal? Units = null, string? Period = null);

/// <summary>
/// What Aria returned for a change sent with <c>do_write=false</c>: the confirmation turn shows exactly this, and
/// the write is sent only after a yes to it. <see cref="Fingerprint"/> tells whether a refreshed preview still
/// shows the same numbers.
/// </summary>
public sealed record PreviewSummary
{
    public required string Currency { get; init; }

    /// <summary>Lines as Aria priced them (proration credit for the old plan, charge for the new, items…).</summary>
    public required IReadOnlyList<PreviewLine> Lines { get; init; }

    public decimal? TotalBeforeTax { get; init; }

    public decimal? Tax { get; init; }

    /// <summary>What the change bills now (negative: a credit).</summary>
    public required decimal Total { get; init; }

    /// <summary>
    /// The total goes on a later bill rather than being charged now (an order placed with <c>bill_immediately</c> other
    /// than 1), so the card must not say "charged now".
    /// </summary>
    public bool BilledLater { get; init; }

    /// <summary>When the change takes effect, already worded for the customer ("immediately", "on 1 December").</summary>
    public string? Effective { get; init; }

    /// <summary>What else happens, worded for the customer (supplemental plans that end, a recurring price that changes).</summary>
    public IReadOnlyList<string> Consequences { get; init; } = [];

    /// <summary>
    /// For a change that moves no money (a contact detail): the values it replaces, shown old → new on the card instead
    /// of the lines and totals. Null for every money change, so their stored state and cards stay as they were.
    /// </summary>
    public IReadOnlyList<PreviewField>? Fields { get; init; }

    /// <summary>A digest of the numbers; equal fingerprints mean the customer would see the same charges.</summary>
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder().Append(Currency).Append('|').Append(Total.ToString(CultureInfo.InvariantCulture))
                .Append('|').Append(Tax?.ToString(CultureInfo.InvariantCulture)).Append('|').Append(Effective);
            if (BilledLater)
            {
                text.Append("|later");
            }
            foreach (var line in Lines)
            {
                text.Append('|').Append(line.Description).Append('=').Append(line.Amount.ToString(CultureInfo.InvariantCulture));
            }
            foreach (var changed in Fields ?? [])
            {
                // A value changed elsewhere since the card was shown is a different change: confirmed again.
                text.Append("|field:").Append(changed.Label).Append('=').Append(changed.Old).Append('>').Append(changed.New);
            }
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        }
    }
}
