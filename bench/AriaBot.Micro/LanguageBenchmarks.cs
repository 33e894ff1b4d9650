using AriaBot.Language;
using AriaBot.Notifications.Subscriptions;
using AriaBot.Understanding;
using BenchmarkDotNet.Attributes;

/// <summary>
/// What an unsigned turn pays in words and small lookups (issue 22), each beside the path it replaced, in one run: an
/// argument object read into a sentence's arguments (reflection per call before, a per-type cache now), a message
/// offered to the time-zone reader (ICU asked per message before), and the Understander on the bench's unsigned lines.
/// </summary>
[MemoryDiagnoser]
public class LanguageBenchmarks
{
    private static readonly object Arguments = new { amount = "$50.00", method = "Visa ending 4242", balance = "$12.00" };
    private static readonly IWords Counting = new ArgumentCounter();
    private static readonly WordKey Key = new("bench.key", "amount", "method", "balance");
    private static readonly (string Text, string Locale)[] Unsigned = [("hi", "en-US"), ("help", "en-US"), ("what can you do?", "en-US")];
    private Understander _understander = null!;

    [GlobalSetup]
    public void Setup() => _understander = new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), TimeProvider.System);

    [Benchmark(Description = "arguments by reflection per call (before)")]
    public int ArgumentsByReflection() => Counting.Format(Key, "en-US", Arguments.GetType().GetProperties()
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToDictionary(p => p.Name, p => p.GetValue(Arguments), StringComparer.Ordinal)).Length;

    [Benchmark(Description = "arguments through the per-type cache (now)")]
    public int ArgumentsCached() => Counting.Format(Key, "en-US", Arguments).Length;

    [Benchmark(Description = "time zone of \"what can you do?\" with ICU asked (before)")]
    public bool TimeZoneWithIcu() => TimeZoneInfo.TryConvertWindowsIdToIanaId("what can you do?", out _) | TimeZoneNames.Recognize("what can you do?") is not null;

    [Benchmark(Description = "time zone of \"what can you do?\" (now)")]
    public bool TimeZone() => TimeZoneNames.Recognize("what can you do?") is not null;

    [Benchmark(Description = "Understander, unsigned lines (hi, help, what can you do?)")]
    public int UnderstandUnsigned()
    {
        var found = 0;
        foreach (var (text, locale) in Unsigned)
        {
            found += (int)_understander.Understand(text, locale).Intent;
        }
        return found;
    }

    /// <summary>Answers the number of arguments: the benchmark measures reading them, not rendering a sentence.</summary>
    private sealed class ArgumentCounter : IWords
    {
        public string Format(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null) => args?.Count switch { 3 => "3", _ => "?" };

        public IReadOnlyList<string> FormatAll(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null) => [Format(key, locale, args)];
    }
}
