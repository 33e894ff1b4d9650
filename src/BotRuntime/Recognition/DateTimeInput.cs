using System.Globalization;
using Microsoft.Recognizers.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// Dates and times ("tomorrow", "next friday", "el próximo viernes", "3 March 2027", "last month") resolved
/// against a reference time the caller takes from a <see cref="TimeProvider"/>, so tests control "today".
/// </summary>
public static class DateTimeInput
{
    /// <summary>Resolves relative to the provider's current time in <paramref name="timeZone"/> (default: the provider's local zone).</summary>
    public static DateTimeResult Recognize(string? text, string? locale, TimeProvider timeProvider, TimeZoneInfo? timeZone = null) =>
        Recognize(text, locale, ReferenceFrom(timeProvider, timeZone));

    /// <summary>Resolves relative to <paramref name="referenceLocal"/>, the user's wall-clock "now".</summary>
    public static DateTimeResult Recognize(string? text, string? locale, DateTime referenceLocal)
    {
        var all = FindAll(text, locale, referenceLocal);
        if (all.Count == 0)
        {
            return new DateTimeResult(false, [], null, 0, 0, [], referenceLocal);
        }

        var first = all[0];
        return new DateTimeResult(first.Resolutions.Count > 0, first.Resolutions, first.Text, first.Start, first.Length, all, referenceLocal);
    }

    public static IReadOnlyList<DateTimeMatch> FindAll(string? text, string? locale, DateTime referenceLocal)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var culture = BotCulture.Resolve(locale);
        var results = RecognizersRuntime.Run(
            text,
            t => RecognizerModels.DateTime(culture).Parse(t, referenceLocal));
        var matches = new List<DateTimeMatch>();
        foreach (var result in results)
        {
            var (matched, start, length) = RecognizersRuntime.Span(text, result);
            var kind = result.TypeName.StartsWith("datetimeV2.", StringComparison.Ordinal) ? result.TypeName["datetimeV2.".Length..] : result.TypeName;
            matches.Add(new DateTimeMatch(kind, matched, start, length, ReadResolutions(result, referenceLocal)));
        }

        return matches;
    }

    /// <summary>The user's "now" as a wall-clock time in their zone.</summary>
    public static DateTime ReferenceFrom(TimeProvider timeProvider, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var zone = timeZone ?? timeProvider.LocalTimeZone;
        return TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), zone).DateTime;
    }

    private static List<DateTimeResolution> ReadResolutions(ModelResult result, DateTime referenceLocal)
    {
        var resolutions = new List<DateTimeResolution>();
        if (result.Resolution is null || !result.Resolution.TryGetValue("values", out var raw) || raw is not IEnumerable<Dictionary<string, string>> values)
        {
            return resolutions;
        }

        foreach (var value in values)
        {
            var type = value.GetValueOrDefault("type") ?? string.Empty;
            var timex = value.GetValueOrDefault("timex");
            var rawValue = value.GetValueOrDefault("value");
            TimeSpan? duration = null;
            DateTime? parsed = null;
            if (type == "duration")
            {
                if (double.TryParse(rawValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    duration = TimeSpan.FromSeconds(seconds);
                }
            }
            else
            {
                parsed = ParseMoment(rawValue, referenceLocal);
            }

            resolutions.Add(new DateTimeResolution(
                type,
                timex,
                parsed,
                ParseMoment(value.GetValueOrDefault("start"), referenceLocal),
                ParseMoment(value.GetValueOrDefault("end"), referenceLocal),
                duration,
                rawValue));
        }

        return resolutions;
    }

    private static readonly string[] MomentFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss"];

    private static DateTime? ParseMoment(string? text, DateTime referenceLocal)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTime.TryParseExact(text, MomentFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
        {
            return moment;
        }

        // A bare time ("3pm") resolves to that time on the reference day.
        if (TimeOnly.TryParseExact(text, ["HH:mm:ss", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return referenceLocal.Date + time.ToTimeSpan();
        }

        return null;
    }
}

/// <summary>
/// One reading of a date expression. <see cref="Type"/> is Recognizers.Text's: date, time, datetime, daterange,
/// timerange, datetimerange, duration or set. Ranges fill <see cref="Start"/>/<see cref="End"/> (end exclusive for
/// date ranges, e.g. "last month" = [Oct 1, Nov 1)).
/// </summary>
public sealed record DateTimeResolution(
    string Type,
    string? Timex,
    DateTime? Value,
    DateTime? Start,
    DateTime? End,
    TimeSpan? Duration,
    string? RawValue)
{
    public DateOnly? Date => Value is { } value ? DateOnly.FromDateTime(value) : null;
}

public sealed record DateTimeMatch(string Type, string Text, int Start, int Length, IReadOnlyList<DateTimeResolution> Resolutions)
{
    public int End => Start + Length;
}

/// <summary>
/// The first date expression in the text. Like Bot Framework's DateTimePrompt, <see cref="Values"/> holds every
/// reading: "friday" gives last Friday and next Friday; <see cref="Preferred"/> picks the one that is not in the past.
/// </summary>
public sealed record DateTimeResult(
    bool Succeeded,
    IReadOnlyList<DateTimeResolution> Values,
    string? MatchedText,
    int Start,
    int Length,
    IReadOnlyList<DateTimeMatch> All,
    DateTime Reference)
{
    public DateTimeResolution? Preferred
    {
        get
        {
            if (Values.Count <= 1)
            {
                return Values.Count == 0 ? null : Values[0];
            }

            var today = Reference.Date;
            return Values.FirstOrDefault(v => (v.Value ?? v.Start) is { } moment && moment >= today) ?? Values[^1];
        }
    }
}
