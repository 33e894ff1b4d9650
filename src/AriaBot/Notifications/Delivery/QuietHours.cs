namespace AriaBot.Notifications.Delivery;

/// <summary>The customer's local clock: quiet hours and the local day the daily limit counts.</summary>
public static class QuietHours
{
    // The main zone of the countries the demo and the first businesses bill in; others fall back to UTC (documented).
    private static readonly Dictionary<string, string> CountryZones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = "America/New_York",
        ["CA"] = "America/Toronto",
        ["MX"] = "America/Mexico_City",
        ["GB"] = "Europe/London",
        ["IE"] = "Europe/Dublin",
        ["ES"] = "Europe/Madrid",
        ["FR"] = "Europe/Paris",
        ["DE"] = "Europe/Berlin",
        ["IT"] = "Europe/Rome",
        ["PT"] = "Europe/Lisbon",
        ["AR"] = "America/Argentina/Buenos_Aires",
        ["AU"] = "Australia/Sydney",
    };

    /// <summary>The id when this machine knows the zone (a channel's <c>localTimezone</c> is the client's claim), else null.</summary>
    public static string? Known(string? zoneId) =>
        !string.IsNullOrWhiteSpace(zoneId) && zoneId.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out _) ? zoneId : null;

    public static string? ForCountry(string? countryCode) =>
        countryCode is not null && CountryZones.TryGetValue(countryCode.Trim(), out var zone) ? Known(zone) : null;

    public static TimeZoneInfo Zone(string? zoneId) =>
        zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>When quiet hours end, if <paramref name="now"/> falls inside them in <paramref name="zone"/>; else null.</summary>
    public static DateTimeOffset? HeldUntil(DateTimeOffset now, TimeZoneInfo zone, TimeSpan start, TimeSpan end)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (start == end)
        {
            return null;
        }
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = local.TimeOfDay;
        var quiet = start < end ? time >= start && time < end : time >= start || time < end;
        if (!quiet)
        {
            return null;
        }
        var endDay = start > end && time >= start ? local.Date.AddDays(1) : local.Date;
        return AtLocal(endDay + end, zone);
    }

    /// <summary>The local calendar day of <paramref name="now"/> (what the daily limit counts).</summary>
    public static DateOnly LocalDay(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>The next local midnight after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextLocalDay(DateTimeOffset now, TimeZoneInfo zone) =>
        AtLocal(TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(1), zone);

    private static DateTimeOffset AtLocal(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A local time skipped by a daylight-saving change does not exist: take the hour after it.
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
