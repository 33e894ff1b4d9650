using AriaBot.Language;
using AriaBot.Understanding;
using BenchmarkDotNet.Attributes;

/// <summary>
/// The understander on what customers type besides the bench's unsigned lines, as the main loop asks (the plan catalog
/// given, another language tried): greetings, free text, typos, a line in the other language, questions about past
/// statements and what is owed. Each call is a text of its own, since the date and number models memoise by text and
/// the bot's clock moves: a repeated line would be partly answered from their memo.
/// </summary>
[MemoryDiagnoser]
public class MixedLineBenchmarks
{
    private static readonly (string Text, string Locale)[] Lines =
    [
        ("hi", "en-US"),
        ("help", "en-US"),
        ("i wnat to chnage my plan", "en-US"),
        ("show me my last statement", "en-US"),
        ("what's the weather like", "en-US"),
        ("quiero pagar mi factura", "en-US"),
        ("¿cuánto debo?", "es-ES"),
        ("cualquier plan más barato", "es-ES"),
    ];

    private static readonly UnderstandingContext Context = new()
    {
        Catalog =
        [
            new NamedItem("plan-basic", "Basic") { Kind = "plan" },
            new NamedItem("plan-standard", "Standard") { Kind = "plan" },
            new NamedItem("plan-premium", "Premium") { Kind = "plan" },
            new NamedItem("addon-storage", "Extra Storage") { Kind = "plan" },
        ],
        TimeZone = TimeZoneInfo.Utc,
        TryOtherLanguages = true,
    };

    private Understander _understander = null!;
    private int _call;

    [GlobalSetup]
    public void Setup() => _understander = new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), TimeProvider.System);

    [Benchmark(Description = "Understander, 8 mixed lines, each text new")]
    public int UnderstandMixed()
    {
        // A suffix of "!" and "?" spelling the call's number in binary: a new text every call, and no word, digit or
        // date separator added.
        var found = 0;
        Span<char> marks = stackalloc char[32];
        var length = 0;
        for (var n = ++_call; n > 0; n >>= 1)
        {
            marks[length++] = (n & 1) == 0 ? '!' : '?';
        }

        var suffix = new string(marks[..length]);
        foreach (var (text, locale) in Lines)
        {
            found += (int)_understander.Understand(text + suffix, locale, Context).Intent;
        }
        return found;
    }
}
