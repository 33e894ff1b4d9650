using AriaBot.Language;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Language;

public sealed class WordsCatalogTests
{
    private static readonly WordKey Hello = new("test.hello", "name");
    private static readonly WordKey Bye = new("test.bye");

    private static DialogsFile File(string locale, string content) =>
        new("Test", BotCulture.Resolve(locale), $"Test/Test.{locale}.lg", content);

    private static IReadOnlyList<LanguageProblem> Validate(params DialogsFile[] files)
    {
        var problems = new List<LanguageProblem>();
        var catalog = WordsCatalog.FromFiles(files, problems);
        problems.AddRange(catalog.Validate([Hello, Bye]));
        return problems;
    }

    private const string GoodEnglish = "# test.hello\n- Hello ${name}\n# test.bye\n- Bye";
    private const string GoodSpanish = "# test.hello\n- Hola ${name}\n# test.bye\n- Adiós";

    [Fact]
    public void Complete_files_validate()
    {
        Assert.Empty(Validate(File("en-US", GoodEnglish), File("es-ES", GoodSpanish)));
    }

    [Fact]
    public void A_key_missing_in_one_locale_is_reported_for_that_locale()
    {
        var problem = Assert.Single(Validate(File("en-US", GoodEnglish), File("es-ES", "# test.hello\n- Hola ${name}")));
        Assert.Equal("dialogs/Test/Test.es-ES.lg: 'test.bye' is missing.", problem.ToString());
    }

    [Fact]
    public void A_missing_placeholder_is_reported_per_variation()
    {
        var problems = Validate(File("en-US", "# test.hello\n- Hello ${name}\n- Hello you\n# test.bye\n- Bye"), File("es-ES", GoodSpanish));
        var problem = Assert.Single(problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("must use ${name}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_placeholder_is_reported()
    {
        var problems = Validate(File("en-US", "# test.hello\n- Hello ${name}\n# test.bye\n- Bye ${name}"), File("es-ES", GoodSpanish));
        Assert.Contains("has no placeholder ${name}", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_nobody_declares_are_stale()
    {
        var problems = Validate(File("en-US", GoodEnglish + "\n# test.old\n- gone"), File("es-ES", GoodSpanish));
        Assert.Contains("'test.old' is not declared in code", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_and_keys_in_the_wrong_area_are_reported()
    {
        var problems = Validate(File("en-US", GoodEnglish + "\n# test.bye\n- Again\n# other.thing\n- x"), File("es-ES", GoodSpanish));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.Contains("already defined", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("belongs in dialogs/other/", StringComparison.Ordinal));
    }

    [Fact]
    public void Misnamed_files_on_disk_are_reported()
    {
        var root = Directory.CreateTempSubdirectory("words-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "Test"));
            System.IO.File.WriteAllText(Path.Combine(root, "Test", "Test.en-US.lg"), GoodEnglish);
            System.IO.File.WriteAllText(Path.Combine(root, "Test", "Test.fr-FR.lg"), GoodEnglish);
            System.IO.File.WriteAllText(Path.Combine(root, "Test", "Other.es-ES.lg"), GoodSpanish);

            var ex = Assert.Throws<LanguageValidationException>(() => WordsCatalog.LoadValidated(root, [Hello, Bye]));
            Assert.Contains(ex.Problems, p => p.Message.Contains("'fr-FR' is not a supported locale", StringComparison.Ordinal));
            Assert.Contains(ex.Problems, p => p.Message.Contains("must match its folder", StringComparison.Ordinal));
            Assert.Contains(ex.Problems, p => p.ToString().Contains("Test.es-ES.lg: 'test.hello' is missing", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_missing_folder_fails_loading()
    {
        var ex = Assert.Throws<LanguageValidationException>(() => WordsCatalog.LoadValidated("/nonexistent/dialogs", [Hello]));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }
}
