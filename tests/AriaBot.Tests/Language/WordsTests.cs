using AriaBot.Language;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Language;

public sealed class WordsTests
{
    private static readonly WordKey Owed = new("test.owed", "amount", "count");
    private static readonly WordKey Hi = new("test.hi");

    private static Words Build(Random? random = null)
    {
        var problems = new List<LanguageProblem>();
        var catalog = WordsCatalog.FromFiles(
            [
                new DialogsFile("Test", BotCulture.EnglishUS, "en", "# test.owed\n- You owe ${amount} on ${count} plans.\n# test.hi\n- Hi\n- Hello\n- Hey"),
                new DialogsFile("Test", BotCulture.SpanishSpain, "es", "# test.owed\n- Debes ${amount} en ${count} planes.\n# test.hi\n- Hola\n- Buenas\n- Qué tal"),
            ],
            problems);
        Assert.Empty(problems);
        Assert.Empty(catalog.Validate([Owed, Hi]));
        return new Words(catalog, random);
    }

    [Fact]
    public void Fills_placeholders_in_the_users_locale()
    {
        var words = Build();
        Assert.Equal("You owe $5.00 on 3 plans.", words.Format(Owed, "en-us", new { amount = "$5.00", count = 3 }));
        Assert.Equal("Debes 5,00 € en 3 planes.", words.Format(Owed, "es-MX", new { amount = "5,00 €", count = 3 }));
    }

    [Fact]
    public void Unsupported_locales_fall_back_to_english()
    {
        Assert.Equal("Hi", Build().Format(Hi, "de-DE"));
        Assert.Equal("Hi", Build().Format(Hi, null));
    }

    [Fact]
    public void Formattable_arguments_use_the_locale_culture()
    {
        var words = Build();
        Assert.Equal("Debes 2,5 en 4/12/2026 planes.", words.Format(Owed, "es-ES", new Dictionary<string, object?> { ["amount"] = 2.5m, ["count"] = new DateOnly(2026, 12, 4) }));
        Assert.Equal("You owe 2.5 on 12/4/2026 plans.", words.Format(Owed, "en-US", new Dictionary<string, object?> { ["amount"] = 2.5m, ["count"] = new DateOnly(2026, 12, 4) }));
    }

    [Fact]
    public void Wrong_arguments_are_a_programming_error()
    {
        var words = Build();
        Assert.Throws<ArgumentException>(() => words.Format(Owed, "en-US", new { amount = 1 }));
        Assert.Throws<ArgumentException>(() => words.Format(Owed, "en-US", new { amount = 1, count = 2, extra = 3 }));
        Assert.Throws<ArgumentException>(() => words.Format(Owed, "en-US"));
    }

    [Fact]
    public void Picks_the_first_wording_unless_given_randomness()
    {
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal("Hi", Build().Format(Hi, "en-US")));
        var varied = Build(new Random(7));
        var seen = Enumerable.Range(0, 30).Select(_ => varied.Format(Hi, "en-US")).ToHashSet();
        Assert.Equal(3, seen.Count);
        Assert.Equal(["Hola", "Buenas", "Qué tal"], Build().FormatAll(Hi, "es-ES"));
    }

    [Fact]
    public void Invalid_declarations_fail_at_once()
    {
        Assert.Throws<ArgumentException>(() => new WordKey("nodot"));
        Assert.Throws<ArgumentException>(() => new WordKey("test.x", "not valid"));
        Assert.Throws<ArgumentException>(() => new WordKey("test.x", "a", "a"));
    }
}
