using AriaBot.Account.Histories;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Account;

/// <summary>Periods from what customers say, resolved by Recognizers.Text against a fixed "today" (Sunday 6 December 2026).</summary>
public sealed class HistoryPeriodTests
{
    private static readonly DateTime Today = new(2026, 12, 6, 10, 0, 0);

    [Theory]
    [InlineData("show my payments since March", "en-US", "2026-03-01", null)]
    [InlineData("mis pagos en enero", "es-ES", "2026-01-01", "2026-01-31")]
    [InlineData("transactions in October", "en-US", "2026-10-01", "2026-10-31")]
    [InlineData("my orders last month", "en-US", "2026-11-01", "2026-11-30")]
    public void A_period_is_read_looking_back(string text, string locale, string from, string? to)
    {
        var (start, end) = HistoryPeriod.From(DateTimeInput.FindAll(text, locale, Today));
        Assert.Equal(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), start);
        Assert.Equal(to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), end);
    }

    [Fact]
    public void The_last_three_months_end_today_or_later_and_start_three_months_back()
    {
        var (start, end) = HistoryPeriod.From(DateTimeInput.FindAll("show my transactions from the last 3 months", "en-US", Today));
        Assert.Equal(new DateOnly(2026, 9, 6), start);
        Assert.True(end is null || end >= new DateOnly(2026, 12, 5));
    }

    [Fact]
    public void No_date_means_no_period()
    {
        Assert.Equal((null, null), HistoryPeriod.From(DateTimeInput.FindAll("show my transactions", "en-US", Today)));
    }
}
