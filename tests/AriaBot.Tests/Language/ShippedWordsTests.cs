using AriaBot.Language;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Language;

/// <summary>The real dialogs/ folder against the real code: what start-up checks, as a test.</summary>
public sealed class ShippedWordsTests
{
    [Fact]
    public void Every_declared_key_is_complete_in_every_locale_and_nothing_is_stale()
    {
        var keys = WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out var declarationProblems);
        Assert.Empty(declarationProblems);
        Assert.Contains(CommonWords.DidYouMean, keys);

        var catalog = WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, keys);
        Assert.Equal(BotCulture.Supported.Count, catalog.Cultures.Count());
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("es-ES")]
    public void Common_sentences_read_naturally(string locale)
    {
        var words = new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _)));
        var didYouMean = words.FormatAll(CommonWords.DidYouMean, locale, new Dictionary<string, object?> { ["first"] = "A", ["second"] = "B" });
        Assert.All(didYouMean, text =>
        {
            Assert.Contains("A", text, StringComparison.Ordinal);
            Assert.Contains("B", text, StringComparison.Ordinal);
            Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        });

        Assert.Contains('\n', words.Format(CommonWords.PrivacyWarning, locale));
        Assert.Equal(ConfirmInput.YesButtonValue(locale), words.Format(CommonWords.Yes, locale));
    }
}
