using AriaBot.Language;
using AriaBot.Understanding;

namespace AriaBot.Tests.Understanding;

public sealed class IntentWordsTests
{
    [Fact]
    public void Every_intent_has_a_distinct_label_in_both_locales()
    {
        var words = new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _)));
        foreach (var locale in new[] { "en-US", "es-ES" })
        {
            var labels = Intents.Trainable.Select(i => words.Format(IntentWords.Label(i), locale)).ToList();
            Assert.Equal(labels.Count, labels.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => IntentWords.Label(Intent.None));
    }
}
