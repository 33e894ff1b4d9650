using System.Globalization;
using System.Text;
using System.Text.Json;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding.Oracle;

/// <summary>
/// Issue 22: the understander's fast path (spans instead of strings, skipped recognizer passes, precomputed catalog
/// names, a shared trained model) must answer exactly what the code before it answered. The old path is kept here
/// verbatim (<see cref="ReferenceUnderstander"/>) and both are trained from the CURRENT training lines and settings in
/// the same run, so changes to lines, settings or thresholds (issue 23) never make this test stale: every training
/// and held-out line of both locales, the entity lines and a set of tricky lines, with and without a catalog, must
/// give the same whole result (intent, scores to 1e-9, entities, catalog matches, privacy, did-you-mean).
/// </summary>
public sealed class FastPathOracleTests(ITestOutputHelper output)
{
    // Wednesday 25 November 2026, 10:00 UTC: dates resolve the same in both paths.
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private static readonly Lazy<IntentExamples> Examples = new(() => IntentExamples.LoadValidated(DialogsFolder.DefaultPath));

    private static readonly Lazy<IWords> Words = new(() =>
        new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _))));

    /// <summary>The sandbox's catalog as the bot sees it (names, Spanish synonyms, sizes in descriptions), plus a few names that collide.</summary>
    internal static readonly IReadOnlyList<NamedItem> Catalog =
    [
        new NamedItem("BASIC", "Basic") { Kind = NamedItem.PlanKind, Description = "Fibre 100 Mb/s, 50 GB cloud storage", SynonymsByLocale = Spanish("básico") },
        new NamedItem("STANDARD", "Standard") { Kind = NamedItem.PlanKind, Description = "Fibre 500 Mb/s, 200 GB cloud storage", SynonymsByLocale = Spanish("estándar") },
        new NamedItem("PREMIUM", "Premium") { Kind = NamedItem.PlanKind, Description = "Fibre 1 Gb/s, 1 TB cloud storage" },
        new NamedItem("EXTRA_STORAGE", "Extra Storage (100 GB)") { Kind = NamedItem.PlanKind, Description = "100 GB more cloud storage per unit.", SynonymsByLocale = Spanish("almacenamiento extra", "almacenamiento adicional") },
        new NamedItem("PRIORITY_SUPPORT", "Priority Support") { Kind = NamedItem.PlanKind, SynonymsByLocale = Spanish("soporte prioritario", "asistencia prioritaria") },
        new NamedItem("STATIC_IP", "Static IP Address", ["fixed ip"]) { Kind = NamedItem.PlanKind, SynonymsByLocale = Spanish("ip fija", "ip estática") },
        new NamedItem("RTR-AX3000", "Wi-Fi 6 Router") { Kind = NamedItem.ItemKind, Description = "Dual-band AX3000 router", SynonymsByLocale = Spanish("enrutador") },
        new NamedItem("HDS-USB-200", "USB Headset", ["headphones"]) { Kind = NamedItem.ItemKind, SynonymsByLocale = Spanish("auriculares", "cascos") },
        new NamedItem("CBL-CAT6-5M", "Ethernet Cable 5 m") { Kind = NamedItem.ItemKind, Description = "Cat 6 patch cable." },
        new NamedItem("plan-gold", "Gold", ["Oro"]) { Kind = NamedItem.PlanKind },
        new NamedItem("plan-gold-plus", "Gold Plus") { Kind = NamedItem.PlanKind },
        new NamedItem("other", "Data 100") { Kind = "bundle" },
    ];

    private static Dictionary<string, IReadOnlyList<string>> Spanish(params string[] names) => new() { ["es-ES"] = names };

    /// <summary>Lines that stress one stage each: secrets, numbers in words, dates without digits, sizes, typos, markers, odd characters.</summary>
    internal static readonly (string Text, string Locale)[] Tricky =
    [
        ("", "en-US"), ("   ", "es-ES"), ("hi", "en-US"), ("hola", "es-ES"), ("help", "en-US"), ("?!", "en-US"), ("blorp zzk", "en-US"),
        ("my card is 4111 1111 1111 1111 exp 12/29 cvv 123", "en-US"), ("mi tarjeta es 4111-1111-1111-1111 y el cvv 123", "es-ES"),
        ("my password is hunter2", "en-US"), ("mi contraseña es Secreta123", "es-ES"), ("[card number removed] pay it", "en-US"),
        ("next friday at 5pm", "en-US"), ("el próximo viernes a las 5", "es-ES"), ("tomorrow", "en-US"), ("pasado mañana", "es-ES"),
        ("in three weeks", "en-US"), ("dentro de dos semanas", "es-ES"), ("on christmas eve", "en-US"), ("since March", "en-US"),
        ("desde marzo", "es-ES"), ("last month's invoice", "en-US"), ("la factura de ayer", "es-ES"), ("tonight", "en-US"),
        ("pay fifty dollars", "en-US"), ("pay $50 on friday", "en-US"), ("paga cincuenta euros", "es-ES"), ("quiero pagar 42,50 €", "es-ES"),
        ("pay -$5", "en-US"), ("pay minus 5 dollars", "en-US"), ("I want one more seat", "en-US"), ("the second one", "en-US"),
        ("add a dozen seats", "en-US"), ("one", "en-US"), ("una licencia más", "es-ES"), ("quiero una", "es-ES"), ("3 or 4 seats", "en-US"),
        ("mail ada@example.com or call 555-0100", "en-US"), ("mi correo es ana@ejemplo.es y mi móvil 612 345 678", "es-ES"),
        ("call me at +34 612 345 678", "en-US"), ("the 1 GB plan", "en-US"), ("quiero 100 megas", "es-ES"), ("1TB please", "en-US"),
        ("500 Mb/s", "en-US"), ("cancel premium", "en-US"), ("please cancel the gold plan", "en-US"), ("cancela el oro", "es-ES"),
        ("switch me to premum", "en-US"), ("cámbiame al plan Premium con 3 licencias", "es-ES"), ("gold", "en-US"), ("GOLD. three seats.", "en-US"),
        ("add 2 extra storage", "en-US"), ("pon el almacenamiento extra en 5", "es-ES"), ("<PLAN> <NUM> <ITEM>", "en-US"),
        ("buy a usb headset and two cables", "en-US"), ("quiero unos cascos", "es-ES"), ("what's my balance?", "en-US"), ("¿cuánto debo?", "es-ES"),
        ("don't cancel", "en-US"), ("CANCELAR", "es-ES"), ("Ñandú über straße", "es-ES"), ("emoji 😀 test 🎉", "en-US"),
        ("tab\tand\nnewline", "en-US"), ("3,5", "es-ES"), ("1,000 seats", "en-US"), ("zero", "en-US"), ("twenty-one users", "en-US"),
        ("Switch Plan", "en-US"), ("Cambiar de plan", "es-ES"), ("what is the weather like", "en-US"), ("cuéntame un chiste", "es-ES"),
        ("show my payments since March 3rd 2026", "en-US"), ("order 3 routers for delivery on monday", "en-US"),
        ("at noon", "en-US"), ("ahora mismo", "es-ES"), ("every week", "en-US"), ("for two hours", "en-US"), ("a las 10 y media", "es-ES"),
    ];

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    [Theory]
    [MemberData(nameof(Locales))]
    public void Every_training_held_out_and_tricky_line_reads_exactly_as_the_old_path_read_it(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var fast = new Understander(Examples.Value, Clock, new UnderstandingOptions(), Words.Value);
        var reference = new ReferenceUnderstander(Examples.Value, Clock, new UnderstandingOptions(), Words.Value);

        var bare = Examples.Value.For(culture).Select(e => e.Text)
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text))
            .ToList();
        var withCatalog = EntityLines(culture)
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text))
            .Concat(Tricky.Where(t => t.Locale == locale).Select(t => t.Text))
            .ToList();
        var catalog = new UnderstandingContext { Catalog = Catalog, TimeZone = TimeZoneInfo.Utc };

        var differences = new List<string>();
        foreach (var (texts, context) in new[] { (bare, UnderstandingContext.Empty), (withCatalog, catalog) })
        {
            foreach (var text in texts)
            {
                var difference = Difference(reference.Understand(text, locale, context), fast.Understand(text, locale, context), locale);
                if (difference is not null)
                {
                    differences.Add($"'{text}': {difference}");
                }
            }
        }

        output.WriteLine($"{locale}: {bare.Count} lines without a catalog, {withCatalog.Count} with one; {differences.Count} differ");
        Assert.True(bare.Count > 500, "the training and held-out lines were not read");
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences.Take(20)));
    }

    [Fact]
    public void The_comparison_can_fail()
    {
        // The oracle must see a difference when there is one: another temperature changes every score.
        var fast = new Understander(Examples.Value, Clock, new UnderstandingOptions { Temperature = 0.5 });
        var reference = new ReferenceUnderstander(Examples.Value, Clock, new UnderstandingOptions());
        Assert.NotNull(Difference(reference.Understand("I want to pay my bill", "en-US"), fast.Understand("I want to pay my bill", "en-US"), "en-US"));
    }

    internal static IEnumerable<string> EntityLines(BotCulture culture) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Understanding", "HeldOut", $"Entities.{culture.Name}.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('|')[0].Trim());

    /// <summary>Null when both results are the same; otherwise what differs first.</summary>
    internal static string? Difference(UnderstandingResult expected, UnderstandingResult actual, string locale)
    {
        if (!Close(expected.Score, actual.Score) || !Close(expected.OffTopicScore, actual.OffTopicScore))
        {
            return $"score {expected.Score:R}/{expected.OffTopicScore:R} vs {actual.Score:R}/{actual.OffTopicScore:R}";
        }

        foreach (var (name, left, right) in new[] { ("intents", expected.Intents, actual.Intents), ("suggestions", expected.Suggestions, actual.Suggestions) })
        {
            if (left.Count != right.Count || left.Zip(right).Any(p => p.First.Intent != p.Second.Intent || !Close(p.First.Score, p.Second.Score)))
            {
                return $"{name} {Scores(left)} vs {Scores(right)}";
            }
        }

        var (a, b) = (Canonical(expected, locale), Canonical(actual, locale));
        return a == b ? null : $"{a} vs {b}";
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9;

    private static string Scores(IEnumerable<IntentScore> scores) =>
        string.Join(",", scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Intent}:{s.Score:F12}")));

    /// <summary>Everything but the scores (compared with a tolerance above), as JSON: records of lists compare by reference.</summary>
    private static string Canonical(UnderstandingResult r, string locale)
    {
        var offer = DidYouMean.For(r, Words.Value, locale);
        var builder = new StringBuilder();
        builder.Append(JsonSerializer.Serialize(new
        {
            r.Text,
            Culture = r.Culture.Name,
            r.Intent,
            r.IsConfident,
            r.IsOffTopic,
            Suggested = r.Suggestions.Select(s => s.Intent),
            r.Entities.Quantity,
            r.Entities.Amount,
            r.Entities.Numbers,
            r.Entities.Money,
            Dates = r.Entities.Dates.Select(d => new { d.Type, d.Text, d.Start, d.Length, d.Resolutions }),
            r.Entities.Emails,
            r.Entities.Phones,
            r.Entities.Currency,
            Catalog = r.CatalogMatches.Select(m => new { m.Item.Id, m.Score, m.MatchedName, m.Start, m.Length, m.IsFuzzy }),
            r.CatalogAmbiguous,
            Privacy = r.Privacy.Findings.Select(f => new { f.Kind, f.Start, f.Length }),
            Redacted = r.Privacy.Text,
            r.Privacy.ShouldWarnUser,
            Offer = offer is null ? null : new { offer.Text, offer.Options, offer.NeitherLabel },
        }));
        return builder.ToString();
    }
}
