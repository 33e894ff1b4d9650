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
/// <remarks>
/// Bounded (issue 22): a model read from a shipped file (<see cref="ShippedClassifiers"/>: the bot's own lines) is kept
/// for the life of the process; any other model — trained for other lines or settings, as the cross-validation tools
/// in the tests do by the hundred — is kept only while it is among the <see cref="RecentCapacity"/> most recently asked
/// for. An evicted model is not broken: the understanders holding it keep it, and the next one asking trains again.
/// </remarks>
internal static class TrainedClassifiers
{
    /// <summary>How many models besides the pinned (shipped) ones are kept: a host or two of other lines, and a few settings.</summary>
    internal const int RecentCapacity = 8;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string Lines, ClassifierSettings Settings, string Locale), Entry> Entries = [];

    // Unpinned keys, most recently asked for first.
    private static readonly LinkedList<(string Lines, ClassifierSettings Settings, string Locale)> Recent = new();

    private static readonly ConcurrentDictionary<(string Lines, ClassifierSettings Settings, string Locale), int> TrainingCounts = new();

    /// <summary>How many times the model for these raw lines, settings and locale was trained in this process (tests count it).</summary>
    public static int TrainingsOf(BotCulture culture, IReadOnlyList<(Intent Intent, string Text)> lines, ClassifierSettings settings) =>
        TrainingCounts.GetValueOrDefault((Hash(lines), settings, culture.Name));

    /// <summary>The models kept now, pinned and recent (tests check the bound).</summary>
    internal static (int Pinned, int Recent) Kept
    {
        get
        {
            lock (Gate)
            {
                return (Entries.Count - Recent.Count, Recent.Count);
            }
        }
    }

    /// <summary>The model for these raw training lines; <paramref name="prepare"/> turns them into what the classifier learns, once.</summary>
    /// <param name="shipped">
    /// Tried first when the model is not kept yet: a model read from a file for exactly these lines and settings, or
    /// null (then the model is trained). A model it returns is pinned: kept for the life of the process.
    /// </param>
    public static IntentClassifier For(
        BotCulture culture,
        IReadOnlyList<(Intent Intent, string Text)> lines,
        ClassifierSettings settings,
        Func<IReadOnlyList<(Intent Intent, string Text)>> prepare,
        Func<string, IntentClassifier?>? shipped = null)
    {
        ArgumentNullException.ThrowIfNull(culture);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(prepare);
        var key = (Hash(lines), settings, culture.Name);
        Entry entry;
        lock (Gate)
        {
            if (Entries.TryGetValue(key, out var kept))
            {
                entry = kept;
                if (entry.Node is not null)
                {
                    Recent.Remove(entry.Node);
                    Recent.AddFirst(entry.Node);
                }
            }
            else
            {
                // Lazy with ExecutionAndPublication: two hosts starting at once load or train once.
                entry = new Entry(new Lazy<(IntentClassifier, bool)>(() =>
                {
                    if (shipped?.Invoke(key.Item1) is { } read)
                    {
                        return (read, true);
                    }

                    TrainingCounts.AddOrUpdate(key, 1, (_, count) => count + 1);
                    return (IntentClassifier.Train(prepare(), settings), false);
                }))
                {
                    Node = Recent.AddFirst(key),
                };
                Entries[key] = entry;
                while (Recent.Count > RecentCapacity)
                {
                    Entries.Remove(Recent.Last!.Value);
                    Recent.RemoveLast();
                }
            }
        }

        var (model, pinned) = entry.Model.Value;
        if (pinned)
        {
            lock (Gate)
            {
                if (entry.Node is not null && Entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
                {
                    Recent.Remove(entry.Node);
                    entry.Node = null;
                }
            }
        }

        return model;
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

    private sealed class Entry(Lazy<(IntentClassifier Model, bool Pinned)> model)
    {
        public Lazy<(IntentClassifier Model, bool Pinned)> Model { get; } = model;

        // Its place in Recent while unpinned; null once pinned. Guarded by Gate.
        public LinkedListNode<(string Lines, ClassifierSettings Settings, string Locale)>? Node { get; set; }
    }
}
