using BotRuntime.Recognition;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Recognition;

public sealed class DateTimeInputTests
{
    // Wednesday 25 November 2026, mid-morning in Madrid.
    private static readonly DateTime Reference = new(2026, 11, 25, 10, 0, 0);

    [Theory]
    [InlineData("tomorrow", "en-US", "2026-11-26")]
    [InlineData("next friday", "en-US", "2026-12-04")]
    [InlineData("March 3rd 2027", "en-US", "2027-03-03")]
    [InlineData("12/01/2026", "en-US", "2026-12-01")]
    [InlineData("mañana", "es-ES", "2026-11-26")]
    [InlineData("el próximo viernes", "es-ES", "2026-12-04")]
    [InlineData("3 de marzo de 2027", "es-ES", "2027-03-03")]
    [InlineData("12/01/2026", "es-ES", "2026-01-12")]
    public void Resolves_dates_against_the_reference(string text, string locale, string expected)
    {
        var result = DateTimeInput.Recognize(text, locale, Reference);
        Assert.True(result.Succeeded);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Preferred!.Date);
        Assert.Equal(expected, result.Preferred.Timex);
    }

    [Fact]
    public void A_weekday_has_two_readings_and_prefers_the_coming_one()
    {
        var result = DateTimeInput.Recognize("friday", "en-US", Reference);
        Assert.Equal(2, result.Values.Count);
        Assert.Equal("XXXX-WXX-5", result.Values[0].Timex);
        Assert.Equal(new DateOnly(2026, 11, 27), result.Preferred!.Date);
    }

    [Theory]
    [InlineData("last month", "en-US")]
    [InlineData("el mes pasado", "es-ES")]
    public void Ranges_have_start_and_end(string text, string locale)
    {
        var result = DateTimeInput.Recognize(text, locale, Reference);
        var range = Assert.Single(result.Values);
        Assert.Equal("daterange", range.Type);
        Assert.Equal(new DateTime(2026, 10, 1), range.Start);
        Assert.Equal(new DateTime(2026, 11, 1), range.End);
    }

    [Fact]
    public void Reference_comes_from_the_time_provider_in_the_users_zone()
    {
        // 23:30 UTC on the 25th is already the 26th in Madrid: "tomorrow" must be the 27th there.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 23, 30, 0, TimeSpan.Zero));
        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
        var result = DateTimeInput.Recognize("tomorrow", "en-US", time, madrid);
        Assert.Equal(new DateOnly(2026, 11, 27), result.Preferred!.Date);
    }

    [Theory]
    [InlineData("whenever", "en-US")]
    [InlineData("cuando sea", "es-ES")]
    [InlineData("", "en-US")]
    [InlineData("3 seats", "en-US")]
    public void Fails_without_a_date(string text, string locale)
    {
        var result = DateTimeInput.Recognize(text, locale, Reference);
        Assert.False(result.Succeeded);
        Assert.Null(result.Preferred);
    }

    [Fact]
    public void Times_resolve_on_the_day_they_name()
    {
        var result = DateTimeInput.Recognize("at 3pm tomorrow", "en-US", Reference);
        Assert.Equal("datetime", result.Preferred!.Type);
        Assert.Equal(new DateTime(2026, 11, 26, 15, 0, 0), result.Preferred.Value);
    }
}
