using System.Globalization;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// How many pinned lines still reach the full date pass, by the clue that sent them (<see cref="DateCueReason"/>), and
/// how many of those the date model then finds a date in (issue 22: the pass is most of what a line costs). Prints the
/// table and a few lines per clue that found nothing; asserts only that the cue keeps ruling out most lines.
/// </summary>
public sealed class DateCueYieldTests(ITestOutputHelper output)
{
    private static readonly DateTime Reference = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Unspecified);

    [Theory]
    [InlineData("en-US")]
    [InlineData("es-ES")]
    public void The_share_of_lines_reaching_the_date_pass_is_reported_by_clue(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var examples = IntentExamples.LoadValidated(DialogsFolder.DefaultPath);
        List<string> lines = [.. examples.For(culture).Select(e => e.Text)
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text))
            .Concat(UnderstandingLines.EntityLines(culture))
            .Concat(UnderstandingLines.Tricky.Select(t => t.Text))
            .Distinct(StringComparer.Ordinal)];
        var byReason = new Dictionary<DateCueReason, (int Lines, int WithDate, List<string> Empty)>();
        foreach (var line in lines)
        {
            var reason = DateCue.Reason(line, NumberInput.FindAll(line, locale), culture);
            var (count, withDate, empty) = byReason.GetValueOrDefault(reason, (0, 0, []));
            // As the understander reads it: a bare number is not a date.
            var found = reason != DateCueReason.None
                && DateTimeInput.FindAll(line, locale, Reference).Any(d => !d.Text.Trim().All(char.IsDigit));
            if (reason != DateCueReason.None && !found && empty.Count < 8)
            {
                empty.Add(line);
            }

            byReason[reason] = (count + 1, withDate + (found ? 1 : 0), empty);
        }

        output.WriteLine($"{locale}: {lines.Count} lines");
        foreach (var (reason, (count, withDate, empty)) in byReason.OrderBy(p => p.Key))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{reason,-22} {count,5} lines ({100.0 * count / lines.Count,5:F1} %), a date found in {withDate}; e.g. without one: {string.Join(" | ", empty)}"));
        }

        var reached = lines.Count - byReason.GetValueOrDefault(DateCueReason.None).Lines;
        Assert.True(reached < lines.Count / 2, $"{reached} of {lines.Count} lines reach the date pass");
    }
}
