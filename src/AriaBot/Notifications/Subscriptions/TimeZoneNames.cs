using System.Globalization;
using System.Text.RegularExpressions;
using AriaBot.Notifications.Delivery;

namespace AriaBot.Notifications.Subscriptions;

/// <summary>
/// Reads a time zone the customer typed: an IANA id (<c>Europe/Madrid</c>), a city of an IANA id (<c>Madrid</c>,
/// <c>new york</c>), a common abbreviation or region (<c>CET</c>, <c>PST</c>, <c>Eastern</c>), a few Spanish city names
/// (<c>Canarias</c>, <c>Nueva York</c>), a Windows id, or a whole-hour offset (<c>UTC+1</c>, <c>GMT-5</c>). The answer
/// is always an IANA id this machine knows, so quiet hours follow daylight saving where the zone has it; an offset
/// becomes the fixed <c>Etc/GMT∓n</c> zone (no daylight saving: a city is better, and the question says so).
/// </summary>
public static partial class TimeZoneNames
{
    // Abbreviations are ambiguous world-wide; these are the readings a customer of a US or Spanish business means.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["utc"] = "Etc/UTC",
        ["gmt"] = "Etc/UTC",
        ["z"] = "Etc/UTC",
        ["est"] = "America/New_York",
        ["edt"] = "America/New_York",
        ["et"] = "America/New_York",
        ["eastern"] = "America/New_York",
        ["eastern time"] = "America/New_York",
        ["cst"] = "America/Chicago",
        ["cdt"] = "America/Chicago",
        ["central"] = "America/Chicago",
        ["central time"] = "America/Chicago",
        ["mst"] = "America/Denver",
        ["mdt"] = "America/Denver",
        ["mountain"] = "America/Denver",
        ["mountain time"] = "America/Denver",
        ["arizona"] = "America/Phoenix",
        ["pst"] = "America/Los_Angeles",
        ["pdt"] = "America/Los_Angeles",
        ["pacific"] = "America/Los_Angeles",
        ["pacific time"] = "America/Los_Angeles",
        ["akst"] = "America/Anchorage",
        ["alaska"] = "America/Anchorage",
        ["hst"] = "Pacific/Honolulu",
        ["hawaii"] = "Pacific/Honolulu",
        ["cet"] = "Europe/Madrid",
        ["cest"] = "Europe/Madrid",
        ["wet"] = "Europe/Lisbon",
        ["bst"] = "Europe/London",
        ["espana"] = "Europe/Madrid",
        ["spain"] = "Europe/Madrid",
        ["peninsula"] = "Europe/Madrid",
        ["hora peninsular"] = "Europe/Madrid",
        ["canarias"] = "Atlantic/Canary",
        ["islas canarias"] = "Atlantic/Canary",
        ["canary islands"] = "Atlantic/Canary",
        ["londres"] = "Europe/London",
        ["nueva york"] = "America/New_York",
        ["ciudad de mexico"] = "America/Mexico_City",
        ["mexico"] = "America/Mexico_City",
        ["cdmx"] = "America/Mexico_City",
        ["roma"] = "Europe/Rome",
        ["lisboa"] = "Europe/Lisbon",
    };

    /// <summary>Whole id or city (last part of an IANA id, underscores as spaces, normalized) → id; built once from this machine's zones.</summary>
    private static readonly Lazy<Dictionary<string, string>> Cities = new(BuildCities);

    /// <summary>The IANA id for what the customer typed, or null when it names no zone this machine knows.</summary>
    public static string? Recognize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 60)
        {
            return null;
        }
        var trimmed = text.Trim();
        if (MayBeWindowsId(trimmed) && TimeZoneInfo.TryConvertWindowsIdToIanaId(trimmed, out var fromWindows) && QuietHours.Known(fromWindows) is { } windows)
        {
            return windows;
        }
        var normalized = NotificationCommandsMiddleware.Normalize(trimmed);
        if (Offset(normalized) is { } offset)
        {
            return offset;
        }
        if (Aliases.TryGetValue(normalized, out var alias) || Cities.Value.TryGetValue(normalized, out alias))
        {
            return QuietHours.Known(alias);
        }
        return null;
    }

    /// <summary>
    /// Whether ICU needs to be asked if the text is a Windows zone id. Every message of a chat is offered here
    /// (<see cref="TimeZoneQuestion"/>), and the ICU call is made again for each (issue 22); but every Windows id
    /// (CLDR's windowsZones) has "Time" in it ("Romance Standard Time", "Pacific Standard Time (Mexico)") or is
    /// "UTC" with an offset ("UTC-11", "UTC+12"). <c>NotificationTimeZoneTests</c> checks that against every id this
    /// machine maps a zone to. Case is ignored, so the cue never rules out a spelling ICU might accept.
    /// </summary>
    internal static bool MayBeWindowsId(string trimmed) =>
        trimmed.Contains("time", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("utc", StringComparison.OrdinalIgnoreCase);

    /// <summary>How the zone is shown back: its id and its offset now ("Europe/Madrid (UTC+01:00)").</summary>
    public static string Describe(string zoneId, DateTimeOffset now)
    {
        var offset = QuietHours.Zone(zoneId).GetUtcOffset(now);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return string.Create(CultureInfo.InvariantCulture, $"{zoneId} (UTC{sign}{offset.Duration():hh\\:mm})");
    }

    /// <summary>"utc+1", "gmt -5", "utc+01:00": whole hours only (IANA's fixed zones); "utc+5:30" is not one (a city is).</summary>
    private static string? Offset(string normalized)
    {
        var match = OffsetPattern().Match(normalized);
        if (!match.Success)
        {
            return null;
        }
        var hours = int.Parse(match.Groups["hours"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["minutes"].Success && match.Groups["minutes"].Value != "00")
        {
            return null;
        }
        var east = match.Groups["sign"].Value == "+";
        if (hours == 0)
        {
            return QuietHours.Known("Etc/UTC");
        }
        if ((east && hours > 14) || (!east && hours > 12))
        {
            return null;
        }
        // IANA's Etc zones are POSIX-signed: UTC+1 is "Etc/GMT-1".
        return QuietHours.Known(string.Create(CultureInfo.InvariantCulture, $"Etc/GMT{(east ? '-' : '+')}{hours}"));
    }

    private static Dictionary<string, string> BuildCities()
    {
        string[] regions = ["Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/"];
        var cities = new Dictionary<string, string>(StringComparer.Ordinal);
        // Unsorted, and in id order for a stable first claim of a name: the sorted list is ordered by display name,
        // which makes ICU name every zone (about 0.6 s of the first "hi" after start-up, issue 22).
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones(skipSorting: true).OrderBy(zone => zone.Id, StringComparer.Ordinal))
        {
            // The whole id, as typed in any case ("europe/madrid"), maps to its canonical spelling.
            cities.TryAdd(NotificationCommandsMiddleware.Normalize(zone.Id), zone.Id);
            if (regions.Any(region => zone.Id.StartsWith(region, StringComparison.Ordinal)))
            {
                cities.TryAdd(NotificationCommandsMiddleware.Normalize(zone.Id[(zone.Id.LastIndexOf('/') + 1)..].Replace('_', ' ')), zone.Id);
            }
        }
        return cities;
    }

    [GeneratedRegex(@"^(?:utc|gmt)\s?(?<sign>[+-])\s?(?<hours>\d{1,2})(?::?(?<minutes>\d{2}))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex OffsetPattern();
}
