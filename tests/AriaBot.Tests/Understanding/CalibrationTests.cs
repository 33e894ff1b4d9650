using System.Globalization;
using System.Text;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Issue 23, step 2: temperature scaling fitted per locale on a calibration split of the training lines (every fifth
/// line, the model trained on the other four fifths) — never on the held-out set. Prints the fitted temperature,
/// the negative log-likelihood and the expected calibration error before and after, and how a threshold on the
/// calibrated top score splits right from wrong; requires the fitted temperature to do at least as well as none.
/// </summary>
public sealed class CalibrationTests(ITestOutputHelper output)
{
    private static readonly Lazy<IntentExamples> Training = new(() => IntentExamples.LoadValidated(DialogsFolder.DefaultPath));

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    internal static (double Temperature, double NllBefore, double NllAfter, string Report) Fit(string locale)
    {
        var examples = Training.Value.For(BotCulture.Resolve(locale));
        var fit = examples.Where((_, i) => i % 5 != 0).ToList();
        var model = IntentClassifier.Train(fit);
        // A line sharing no feature with the fitted four fifths has no score at all; it says nothing about calibration.
        var calibration = examples.Where((_, i) => i % 5 == 0).Where(c => model.Classify(c.Text).Count > 0).ToList();

        double Nll(double t) => calibration.Average(c =>
            -Math.Log(Math.Max(1e-9, model.Classify(c.Text, t).FirstOrDefault(s => s.Intent == c.Intent)?.Score ?? 0)));
        var grid = Enumerable.Range(4, 57).Select(i => i * 0.05).ToList();
        var best = grid.MinBy(Nll);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Calibration, {locale}: {fit.Count} lines fitted, {calibration.Count} for calibration");
        report.AppendLine(CultureInfo.InvariantCulture, $"  fitted temperature {best:F2}; NLL {Nll(1):F3} at T=1, {Nll(best):F3} at T={best:F2}");
        foreach (var t in new[] { 1.0, best })
        {
            var tops = calibration.Select(c => (Top: model.Classify(c.Text, t)[0], c.Intent)).ToList();
            var ece = 0.0;
            foreach (var bin in tops.GroupBy(p => Math.Min(9, (int)(p.Top.Score * 10))).OrderBy(g => g.Key))
            {
                var confidence = bin.Average(p => p.Top.Score);
                var accuracy = bin.Average(p => p.Top.Intent == p.Intent ? 1.0 : 0.0);
                ece += bin.Count() * Math.Abs(confidence - accuracy) / tops.Count;
                report.AppendLine(CultureInfo.InvariantCulture, $"    T={t:F2} bin {bin.Key / 10.0:F1}: n {bin.Count(),3}, mean score {confidence:F2}, accuracy {accuracy:F2}");
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"  T={t:F2}: expected calibration error {ece:F3}");
            foreach (var threshold in new[] { 0.3, 0.4, 0.45, 0.5, 0.6, 0.7 })
            {
                var acted = tops.Where(p => p.Top.Score >= threshold).ToList();
                report.AppendLine(CultureInfo.InvariantCulture, $"    act at {threshold:F2}: {acted.Count} acted on, {acted.Count(p => p.Top.Intent != p.Intent)} of them wrong; {tops.Count - acted.Count} asked or rejected");
            }
        }

        // The act / ask / reject thresholds at the fitted temperature, chosen on the same split (never the held-out set).
        var readings = calibration.Select(c => (c.Intent, All: model.Classify(c.Text, best))).ToList();
        foreach (var (act, minimum, margin, contender) in from a in new[] { 0.45, 0.55, 0.65 } from m in new[] { 0.3, 0.4, 0.5 } from g in new[] { 0.1, 0.2 } from k in new[] { 0.2, 0.3 } select (a, m, g, k))
        {
            var o = new UnderstandingOptions { ConfidenceThreshold = act, OffTopicMinimum = minimum, OffTopicMargin = margin, OffTopicContender = contender };
            var outcomes = readings.Select(r =>
            {
                var intents = r.All.Where(x => x.Intent != Intent.None).ToList();
                var off = OpenSet.IsOffTopic(intents, r.All.FirstOrDefault(x => x.Intent == Intent.None)?.Score ?? 0, o) || intents[0].Score < o.SuggestionFloor;
                return (r.Intent, Got: off ? Intent.None : intents[0].Intent, Acted: !off && intents[0].Score >= act);
            }).ToList();
            var offTopic = outcomes.Where(x => x.Intent == Intent.None).ToList();
            var onTopic = outcomes.Where(x => x.Intent != Intent.None).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"    act {act:F2} minimum {minimum:F2} margin {margin:F2} contender {contender:F2}: accuracy {100.0 * outcomes.Count(x => x.Got == x.Intent) / outcomes.Count:F1}, off-topic recall {100.0 * offTopic.Count(x => x.Got == Intent.None) / Math.Max(1, offTopic.Count):F1}, rejected {100.0 * onTopic.Count(x => x.Got == Intent.None) / onTopic.Count:F1}, acted on wrongly {100.0 * outcomes.Count(x => x.Acted && x.Got != x.Intent) / outcomes.Count:F1}");
        }

        return (best, Nll(1), Nll(best), report.ToString());
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void A_temperature_fitted_on_the_calibration_split_improves_its_likelihood(string locale)
    {
        var (fitted, before, after, report) = Fit(locale);
        output.WriteLine(report);
        Console.WriteLine(report);
        // The fit is real only if it beats leaving the scores alone; the temperature in force is reported beside it.
        Assert.True(after <= before, $"fitted temperature {fitted:F2} does not improve the likelihood in {locale}");
        output.WriteLine($"temperature in force for {locale}: {new UnderstandingOptions().For(locale).Temperature:F2}");
    }

    [Fact]
    public void A_locale_override_replaces_only_what_it_sets()
    {
        var options = new UnderstandingOptions { ConfidenceThreshold = 0.5 };
        options.Locales["es-ES"] = new LocaleUnderstandingOptions { OffTopicMinimum = 0.6 };
        Assert.Equal(0.6, options.For("es-ES").OffTopicMinimum);
        Assert.Equal(0.5, options.For("es-ES").ConfidenceThreshold);
        Assert.Equal(0.5, options.For("en-US").ConfidenceThreshold);
    }

    [Fact]
    public void A_configured_locale_setting_keeps_the_other_defaults_of_that_locale()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Locales:en-US:ConfidenceThreshold"] = "0.55", ["Locales:es-ES:Temperature"] = "0.6" })
            .Build();
        var options = new UnderstandingOptions();
        configuration.Bind(options);
        Assert.Equal(0.55, options.For("en-US").ConfidenceThreshold);
        Assert.Equal(new UnderstandingOptions().For("en-US").OffTopicContender, options.For("en-US").OffTopicContender);
        Assert.Equal(0.6, options.For("es-ES").Temperature);
        Assert.Equal(1.0, options.For("en-US").Temperature);
    }

    [Fact]
    public void A_higher_temperature_softens_the_scores_without_changing_their_order()
    {
        var model = IntentClassifier.Train(Training.Value.For(BotCulture.Resolve("en-US")));
        var plain = model.Classify("show me my last statement");
        var soft = model.Classify("show me my last statement", 2.0);
        Assert.Equal(plain.Select(s => s.Intent), soft.Select(s => s.Intent));
        Assert.True(soft[0].Score < plain[0].Score);
    }
}
