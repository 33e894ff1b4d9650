using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.Recognizers.Text;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// What the recognition oracle tests share: the reference time, one canonical form of a model's answer (text,
/// positions, type and every resolution value), models built fresh for a call, and the many-threads run.
/// </summary>
internal static class RecognizerOracle
{
    /// <summary>Wednesday 25 November 2026, mid-morning.</summary>
    public static readonly DateTime Reference = new(2026, 11, 25, 9, 30, 0, DateTimeKind.Unspecified);

    public static string Canonical(IEnumerable<ModelResult> results) =>
        JsonSerializer.Serialize(results.Select(r => new { r.Start, r.End, r.Text, r.TypeName, r.Resolution }));

    /// <summary>
    /// A model of type <typeparamref name="TModel"/> made now, the way <paramref name="recognizer"/> makes it, and never
    /// handed out before: the library keeps the models its recognizers return (and its static helpers use) in one
    /// process-wide cache, so a recognizer built "fresh" answers with the very objects shared across threads. This calls
    /// the recognizer's registered constructor for the culture instead (its private model factory, found by reflection;
    /// a library upgrade that moves it fails here, loudly).
    /// </summary>
    public static IModel Fresh<TModel, TOptions>(Recognizer<TOptions> recognizer, string culture, TOptions options)
        where TOptions : struct
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        var field = typeof(Recognizer<TOptions>).GetField("factory", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Recognizers.Text moved its model factory: the oracle cannot build fresh models.");
        var factory = (IDictionary)field.GetValue(recognizer)!;
        // As the library does, a model it has not for the culture (Spanish e-mail, phone) is its English one.
        foreach (var wanted in new[] { culture, Culture.English })
        {
            foreach (DictionaryEntry entry in factory)
            {
                var (entryCulture, modelType) = ((string, Type))entry.Key;
                if (modelType == typeof(TModel) && string.Equals(entryCulture, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return ((Func<TOptions, IModel>)entry.Value!)(options);
                }
            }
        }
        throw new InvalidOperationException($"No {typeof(TModel).Name} registered for {culture}.");
    }

    /// <summary>
    /// Runs <paramref name="answer"/> over <paramref name="work"/> (shuffled) from eight threads started together and
    /// returns every answer that differs from <paramref name="expected"/>.
    /// </summary>
    public static IReadOnlyCollection<string> MismatchesFromEightThreads<TInput>(IReadOnlyList<TInput> work, Func<TInput, string> answer, Func<TInput, string> expected)
    {
        var shuffled = work.ToArray();
        Random.Shared.Shuffle(shuffled);
        var mismatches = new ConcurrentBag<string>();
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < shuffled.Length; i += 8)
            {
                var (got, want) = (answer(shuffled[i]), expected(shuffled[i]));
                if (got != want)
                {
                    mismatches.Add($"{shuffled[i]}: {got} != {want}");
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        return mismatches;
    }
}
