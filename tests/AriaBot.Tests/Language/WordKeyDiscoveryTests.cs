using AriaBot.Language;

namespace AriaBot.Tests.Language;

public sealed class WordKeyDiscoveryTests
{
    [Fact]
    public void Finds_marked_keys_and_flags_keys_declared_elsewhere()
    {
        var keys = WordKeyDiscovery.FindAll([typeof(WordKeyDiscoveryTests).Assembly], out var problems);
        Assert.Contains(keys, k => k.Name == "discovery.found");
        Assert.DoesNotContain(keys, k => k.Name == "discovery.unmarked");
        Assert.Contains(problems, p => p.Contains(nameof(UnmarkedWords), StringComparison.Ordinal));
    }

    [WordKeys]
    private static class MarkedWords
    {
        public static readonly WordKey Found = new("discovery.found");
    }

    private static class UnmarkedWords
    {
        public static readonly WordKey Unmarked = new("discovery.unmarked");
    }
}
