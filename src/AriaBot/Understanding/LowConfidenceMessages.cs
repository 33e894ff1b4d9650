using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace AriaBot.Understanding;

/// <summary>Configuration section <c>Language:Understanding:LowConfidence</c>.</summary>
public sealed class LowConfidenceOptions
{
    public const string SectionName = "Language:Understanding:LowConfidence";

    /// <summary>Keep messages the bot was unsure about (or found off-topic) for the next round of training lines. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>At most this many are kept, the oldest dropped first. Default 500.</summary>
    [Range(1, 100_000)]
    public int Capacity { get; set; } = 500;

    /// <summary>Each is forgotten after this long. Default 30 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>One kept message: redacted text, locale, what the bot made of it.</summary>
public sealed record LowConfidenceMessage(string Locale, string Text, Intent BestIntent, double Score, bool OffTopic, DateTimeOffset At);

/// <summary>
/// Messages the understander was unsure about, kept in memory (bounded, expiring) so the next round of training lines
/// can be written from what customers really say. Only the redacted text is kept, and redacted again here: every
/// digit becomes "#" (card numbers, codes, CVVs, phone numbers, amounts), e-mail addresses become "[email]", and the
/// privacy markers of <c>SensitiveText</c> stay markers — so nothing a customer typed as a secret is kept.
/// Never logged, never persisted.
/// </summary>
public sealed partial class LowConfidenceMessages(TimeProvider time, LowConfidenceOptions? options = null)
{
    private readonly LowConfidenceOptions _options = options ?? new LowConfidenceOptions();
    private readonly Queue<LowConfidenceMessage> _kept = new();
    private readonly Lock _gate = new();

    /// <summary>Keeps <paramref name="result"/> when the bot would ask, reject or call it off-topic; a confident reading is not kept.</summary>
    public void Consider(UnderstandingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_options.Enabled || (result.IsConfident && !result.IsOffTopic) || string.IsNullOrWhiteSpace(result.Text))
        {
            return;
        }

        var text = Redact(result.Text);
        var best = result.Intents.Count > 0 ? result.Intents[0] : new IntentScore(Intent.None, 0);
        lock (_gate)
        {
            Expire();
            _kept.Enqueue(new LowConfidenceMessage(result.Culture.Name, text, best.Intent, best.Score, result.IsOffTopic, time.GetUtcNow()));
            while (_kept.Count > _options.Capacity)
            {
                _kept.Dequeue();
            }
        }
    }

    /// <summary>What is kept now, oldest first.</summary>
    public IReadOnlyList<LowConfidenceMessage> Snapshot()
    {
        lock (_gate)
        {
            Expire();
            return [.. _kept];
        }
    }

    /// <summary>E-mail addresses and every digit removed (applied on top of the understander's own redaction).</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var withoutEmails = EmailPattern().Replace(text, "[email]");
        return DigitPattern().Replace(withoutEmails, "#");
    }

    private void Expire()
    {
        var oldest = time.GetUtcNow() - _options.KeepFor;
        while (_kept.Count > 0 && _kept.Peek().At < oldest)
        {
            _kept.Dequeue();
        }
    }

    // No match timeouts, on purpose (as in CatalogSizes): one is measured on the wall clock, so on a loaded machine it
    // can fire on an ordinary message and throw out of the understander (CatalogSizes' did once in CI). Both patterns are
    // linear instead. The e-mail pattern runs NonBacktracking, which guarantees time linear in the text whatever it holds;
    // on the backtracking engine it is linear today only through that engine's search optimisations, which nothing
    // promises. It finds the same matches: the pattern has one way to match from a given start. A single-character class
    // needs no such care.
    [GeneratedRegex(@"[^\s@]+@[^\s@]+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex EmailPattern();

    [GeneratedRegex(@"\d", RegexOptions.CultureInvariant)]
    internal static partial Regex DigitPattern();
}
