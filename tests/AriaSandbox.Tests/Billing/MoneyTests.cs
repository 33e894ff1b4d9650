using Aria.Sandbox.Billing;

namespace AriaSandbox.Tests.Billing;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("2026-11-01", "2026-11-01", "2026-12-01", "1")]
    [InlineData("2026-11-30", "2026-11-01", "2026-12-01", "0.0333333333333333333333333333")]
    [InlineData("2026-11-10", "2026-11-01", "2026-12-01", "0.7")]
    [InlineData("2027-02-15", "2027-02-01", "2027-03-01", "0.5")]
    public void Factor_is_days_left_including_today_over_days_in_the_period(string from, string start, string next, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Money.ProrationFactor(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(next, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2.345", "2.35")]
    [InlineData("-2.345", "-2.35")]
    [InlineData("27.677419", "27.68")]
    [InlineData("2.344999", "2.34")]
    public void Amounts_round_half_away_from_zero_to_cents(string amount, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Money.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Bill_day_31_falls_on_the_last_day_of_shorter_months()
    {
        Assert.Equal(new DateOnly(2027, 2, 28), Periods.AddMonths(new DateOnly(2027, 1, 31), 1, 31));
        Assert.Equal(new DateOnly(2027, 3, 31), Periods.AddMonths(new DateOnly(2027, 2, 28), 1, 31));
        Assert.Equal(new DateOnly(2026, 10, 15), Periods.CurrentStart(new DateOnly(2026, 11, 10), 15));
    }
}
