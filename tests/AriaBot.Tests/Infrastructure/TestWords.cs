using AriaBot.Language;

namespace AriaBot.Tests;

/// <summary>The shipped words of <c>dialogs/</c>, loaded and validated once for tests that need real sentences.</summary>
internal static class TestWords
{
    private static readonly Lazy<IWords> LazyShipped = new(() =>
        new Words(WordsCatalog.LoadValidated(DialogsFolder.DefaultPath, WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _))));

    public static IWords Shipped => LazyShipped.Value;
}
