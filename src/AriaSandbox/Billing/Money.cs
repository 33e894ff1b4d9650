namespace Aria.Sandbox.Billing;

/// <summary>
/// Money is <see cref="decimal"/>, rounded once per line to cents, half away from zero.
/// Unverified against Aria: Aria may carry more places or round half-even; the sandbox's rule is
/// stated here so that tests can compute the same numbers by hand.
/// </summary>
public static class Money
{
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The share of the current period from <paramref name="from"/> (inclusive) to the next
    /// anniversary (exclusive): days left ÷ days in the period.
    /// </summary>
    public static decimal ProrationFactor(DateOnly from, DateOnly periodStart, DateOnly nextBillDate)
    {
        var days = nextBillDate.DayNumber - periodStart.DayNumber;
        var left = nextBillDate.DayNumber - from.DayNumber;
        return days <= 0 ? 0 : (decimal)left / days;
    }

    /// <summary>The factor as Aria shows it on a line (6 places).</summary>
    public static decimal DisplayFactor(decimal factor) => Math.Round(factor, 6, MidpointRounding.AwayFromZero);
}

/// <summary>Anniversary arithmetic: periods start on the instance's bill day.</summary>
public static class Periods
{
    public static DateOnly OnBillDay(int year, int month, int billDay)
    {
        var day = Math.Min(billDay, DateTime.DaysInMonth(year, month));
        return new DateOnly(year, month, day);
    }

    public static DateOnly AddMonths(DateOnly anniversary, int months, int billDay)
    {
        var moved = anniversary.AddMonths(months);
        return OnBillDay(moved.Year, moved.Month, billDay);
    }

    /// <summary>The start of the monthly period that contains <paramref name="day"/>.</summary>
    public static DateOnly CurrentStart(DateOnly day, int billDay)
    {
        var candidate = OnBillDay(day.Year, day.Month, billDay);
        if (candidate > day)
        {
            var previous = day.AddMonths(-1);
            candidate = OnBillDay(previous.Year, previous.Month, billDay);
        }

        return candidate;
    }
}
