using System.Globalization;
using BotRuntime.Recognition;

namespace AriaBot.Account.Histories;

/// <summary>The histories the assistant shows, each switched off by its own section.</summary>
public enum HistoryKind
{
    Transactions,
    Payments,
    Invoices,
    Statements,
    Orders,

    /// <summary>"Why is my bill higher?": the last two regular bills compared (see <see cref="BillComparison"/>).</summary>
    BillChange,
}

/// <summary>
/// Which history, which period, which page. This is all a history dialog keeps between turns: never a row of
/// account data, so "show more" reads Aria again after the session check.
/// </summary>
public sealed class HistoryOptions
{
    public HistoryKind? Kind { get; set; }

    /// <summary>First day of the period, inclusive; null = from the start.</summary>
    public DateOnly? From { get; set; }

    /// <summary>Last day of the period, inclusive; null = up to today.</summary>
    public DateOnly? To { get; set; }

    /// <summary>The page shown, from 0.</summary>
    public int Page { get; set; }
}

/// <summary>A period from what the customer said ("last 3 months", "since March", "en enero"), resolved by Recognizers.</summary>
public static class HistoryPeriod
{
    /// <summary>
    /// The first date expression as a period: a range (end exclusive in Recognizers, made inclusive here), an open range
    /// ("since March"), or a single day. A history looks back, so among a phrase's readings ("en enero": last January or
    /// next) the earliest is taken.
    /// </summary>
    public static (DateOnly? From, DateOnly? To) From(IReadOnlyList<DateTimeMatch> dates)
    {
        ArgumentNullException.ThrowIfNull(dates);
        foreach (var match in dates)
        {
            var reading = match.Resolutions
                .Where(r => r.Start is not null || r.End is not null || r.Value is not null)
                .OrderBy(r => r.Start ?? r.Value ?? r.End)
                .FirstOrDefault();
            if (reading is null)
            {
                continue;
            }
            if (reading.Type is "daterange" or "datetimerange")
            {
                DateOnly? from = reading.Start is { } start ? DateOnly.FromDateTime(start) : null;
                DateOnly? to = reading.End is { } end ? DateOnly.FromDateTime(end).AddDays(-1) : null;
                // "since March" has only a start, "before June" only an end (exclusive).
                return (from, to is { } t && from is { } f && t < f ? f : to);
            }
            if (reading.Date is { } day)
            {
                return (day, day);
            }
        }
        return (null, null);
    }

    /// <summary>"yyyy-MM-dd" as Aria writes dates; null when absent or unreadable.</summary>
    public static DateOnly? ParseAriaDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static bool Contains(HistoryOptions options, DateOnly? date)
    {
        ArgumentNullException.ThrowIfNull(options);
        return date is not { } d || ((options.From is null || d >= options.From) && (options.To is null || d <= options.To));
    }
}
