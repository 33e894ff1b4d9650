using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>
/// The process's trained classifiers, one per (training lines, settings, locale). Training is deterministic, so a
/// second <see cref="Understander"/> built from the same lines — every test host, a host restarted in-process —
/// reuses the first one's model instead of training again; lines that changed (a new <c>.lu</c> line) hash
/// differently and train a new one. Models are read-only after training, so one instance serves every thread.
/// </summary>
internal static class TrainedClassifiers
{
    // Lazy with ExecutionAndPublication: two hosts starting at once train once.
    private static readonly ConcurrentDictionary<(string Lines, ClassifierSettings Settings, string Locale), Lazy<IntentClassifier>> Models = new();

    private static readonly ConcurrentDictionary<(string Lines, ClassifierSettings Settings, string Locale), int> TrainingCounts = new();

    /// <summary>How many times the model for these raw lines, settings and locale was trained in this process (tests count it).</summary>
    public static int TrainingsOf(BotCulture culture, IReadOnlyList<(Intent Intent, string Text)> lines, ClassifierSettings settings) =>
        TrainingCounts.GetValueOrDefault((Hash(lines), settings, culture.Name));

    /// <summary>The model for these raw training lines; <paramref name="prepare"/> turns them into what the classifier learns, once.</summary>
    public static IntentClassifier For(
        BotCulture culture,
        IReadOnlyList<(Intent Intent, string Text)> lines,
        ClassifierSettings settings,
        Func<IReadOnlyList<(Intent Intent, string Text)>> prepare)
    {
        ArgumentNullException.ThrowIfNull(culture);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(prepare);
        var key = (Hash(lines), settings, culture.Name);
        return Models.GetOrAdd(key, _ => new Lazy<IntentClassifier>(() =>
        {
            TrainingCounts.AddOrUpdate(key, 1, (_, count) => count + 1);
            return IntentClassifier.Train(prepare(), settings);
        })).Value;
    }

    /// <summary>SHA-256 of the lines in order (intent, tab, text, newline): order matters, since training shuffles by index.</summary>
    internal static string Hash(IReadOnlyList<(Intent Intent, string Text)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (intent, text) in lines)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{intent}\t{text}\n"));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
