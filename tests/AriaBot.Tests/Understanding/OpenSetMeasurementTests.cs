using System.Globalization;
using System.Text;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// The held-out set with its off-topic lines (<c># None</c>) measured as an open-set problem, per locale: per-intent
/// precision and recall, the confusion pairs, overall accuracy with off-topic included, off-topic recall, and
/// on-topic lines wrongly rejected. The floors asserted are what the model achieves today (issue 23), so a change
/// that makes any of them worse fails; the issue's targets are printed beside them. The sweep lines show how the
/// open-set settings (UnderstandingOptions.OffTopic*) trade off-topic recall against on-topic lines rejected.
/// </summary>
public sealed class OpenSetMeasurementTests(ITestOutputHelper output)
{
    // Issue 23's targets, printed for comparison; the asserted floors are in Floors.
    private static readonly Dictionary<string, double> TargetAccuracy = new() { ["en-US"] = 0.95, ["es-ES"] = 0.93 };
    private const double TargetOffTopicRecall = 0.90;
    private const double TargetWronglyRejected = 0.03;

    private static readonly Lazy<Understander> Shared = new(() =>
        new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), TimeProvider.System));

    private static readonly Dictionary<string, Floor> Floors = new()
    {
        ["en-US"] = new(Accuracy: 0.95, OffTopicRecall: 0.91, WronglyRejected: 0.015, OffTopicActedOn: 0.03),
        ["es-ES"] = new(Accuracy: 0.93, OffTopicRecall: 0.94, WronglyRejected: 0.02, OffTopicActedOn: 0.02),
    };

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    [Theory]
    [MemberData(nameof(Locales))]
    public void Held_out_set_has_at_least_15_percent_off_topic_lines(string locale)
    {
        var heldOut = IntentAccuracyTests.HeldOut(BotCulture.Resolve(locale));
        var offTopic = heldOut.Count(h => h.Intent == Intent.None);
        Assert.True(offTopic >= 0.15 * heldOut.Count, $"{offTopic} of {heldOut.Count} held-out lines are off-topic in {locale}");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void Open_set_measures_hold_their_floor(string locale)
    {
        var m = Measure(locale);
        output.WriteLine(m.Report);
        Console.WriteLine(m.Report);
        var floor = Floors[locale];
        Assert.True(m.Accuracy >= floor.Accuracy, $"accuracy {m.Accuracy:P1} below {floor.Accuracy:P1} in {locale}");
        Assert.True(m.OffTopicRecall >= floor.OffTopicRecall, $"off-topic recall {m.OffTopicRecall:P1} below {floor.OffTopicRecall:P1} in {locale}");
        Assert.True(m.WronglyRejected <= floor.WronglyRejected, $"on-topic wrongly rejected {m.WronglyRejected:P1} above {floor.WronglyRejected:P1} in {locale}");
        Assert.True(m.OffTopicActedOn <= floor.OffTopicActedOn, $"off-topic acted on {m.OffTopicActedOn:P1} above {floor.OffTopicActedOn:P1} in {locale}");
    }

    internal static Measures Measure(string locale, Understander? understander = null)
    {
        var culture = BotCulture.Resolve(locale);
        var heldOut = IntentAccuracyTests.HeldOut(culture);
        var reader = understander ?? Shared.Value;
        var results = heldOut.Select(h => (Expected: h.Intent, h.Text, Result: reader.Understand(h.Text, locale))).ToList();
        var offTopic = results.Where(r => r.Expected == Intent.None).ToList();
        var onTopic = results.Where(r => r.Expected != Intent.None).ToList();

        var accuracy = (double)results.Count(r => r.Result.Intent == r.Expected) / results.Count;
        var offTopicRecall = (double)offTopic.Count(r => r.Result.Intent == Intent.None) / offTopic.Count;
        var wronglyRejected = (double)onTopic.Count(r => r.Result.Intent == Intent.None) / onTopic.Count;
        var actedOn = (double)offTopic.Count(r => r.Result.Intent != Intent.None && r.Result.IsConfident) / offTopic.Count;
        var askedAbout = offTopic.Count(r => r.Result.Intent != Intent.None && !r.Result.IsConfident);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Open-set measures on {results.Count} held-out lines ({offTopic.Count} off-topic), {locale}");
        report.AppendLine(CultureInfo.InvariantCulture, $"  {"intent",-20} {"precision",9} {"recall",9}   n");
        foreach (var intent in results.Select(r => r.Expected).Distinct().Order())
        {
            var predicted = results.Count(r => r.Result.Intent == intent);
            var actual = results.Count(r => r.Expected == intent);
            var hits = results.Count(r => r.Expected == intent && r.Result.Intent == intent);
            var precision = predicted == 0 ? double.NaN : (double)hits / predicted;
            report.AppendLine(CultureInfo.InvariantCulture, $"  {intent,-20} {100 * precision,8:F1}% {100.0 * hits / actual,8:F1}% {actual,3}");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"  overall accuracy, off-topic included: {100 * accuracy:F1} % (target {100 * TargetAccuracy[locale]:F0} %)");
        report.AppendLine(CultureInfo.InvariantCulture, $"  off-topic recall: {100 * offTopicRecall:F1} % (target {100 * TargetOffTopicRecall:F0} %)");
        report.AppendLine(CultureInfo.InvariantCulture, $"  on-topic wrongly rejected: {100 * wronglyRejected:F1} % (target at most {100 * TargetWronglyRejected:F0} %)");
        report.AppendLine(CultureInfo.InvariantCulture, $"  off-topic acted on with confidence: {100 * actedOn:F1} %; off-topic answered with \"did you mean\": {askedAbout}");
        foreach (var (minimum, margin, contender) in from a in new[] { 0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5 } from b in new[] { 0.0, 0.1, 0.2 } from c in new[] { 0.2, 0.3, 0.4 } select (a, b, c))
        {
            {
                var o = new UnderstandingOptions { OffTopicMinimum = minimum, OffTopicMargin = margin, OffTopicContender = contender };
                bool Off((Intent Expected, string Text, UnderstandingResult Result) r) => OpenSet.IsOffTopic(r.Result.Intents, r.Result.OffTopicScore, o) || r.Result.Score < o.SuggestionFloor;
                var rec = (double)offTopic.Count(Off) / offTopic.Count;
                var rej = (double)onTopic.Count(Off) / onTopic.Count;
                var acc = (double)results.Count(r => Off(r) ? r.Expected == Intent.None : r.Result.Intents[0].Intent == r.Expected) / results.Count;
                report.AppendLine(CultureInfo.InvariantCulture, $"  sweep minimum {minimum:F2} margin {margin:F2} contender {contender:F2}: accuracy {100 * acc:F1} recall {100 * rec:F1} rejected {100 * rej:F1}");
            }
        }

        report.AppendLine("Confusion pairs (expected -> got: count):");
        foreach (var pair in results.Where(r => r.Result.Intent != r.Expected)
            .GroupBy(r => (r.Expected, Got: r.Result.Intent))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Expected).ThenBy(g => g.Key.Got))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {pair.Key.Expected} -> {pair.Key.Got}: {pair.Count()}  e.g. \"{pair.First().Text}\" ({pair.First().Result.Score:F2})");
        }

        return new Measures(accuracy, offTopicRecall, wronglyRejected, actedOn, report.ToString());
    }

    internal sealed record Measures(double Accuracy, double OffTopicRecall, double WronglyRejected, double OffTopicActedOn, string Report);

    private sealed record Floor(double Accuracy, double OffTopicRecall, double WronglyRejected, double OffTopicActedOn);
}
