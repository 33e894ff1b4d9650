using AriaBot.Language;
using AriaBot.Understanding;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// One understander serves every turn of the process, and its fast path reuses per-thread buffers: used from many
/// threads at once it must answer exactly what it answers on one thread.
/// </summary>
public sealed class SharedUnderstanderTests
{
    [Fact]
    public void Many_threads_at_once_get_the_answers_one_thread_gets()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var understander = new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), clock);
        var context = FastPathOracleTests.CatalogContext;
        var lines = UnderstandingLines.Tricky.Concat(UnderstanderStageCostTests.Mix).ToArray();
        var expected = lines.Select(l => understander.Understand(l.Text, l.Locale, context)).ToArray();

        var work = Enumerable.Range(0, 8).SelectMany(_ => Enumerable.Range(0, lines.Length)).ToArray();
        Random.Shared.Shuffle(work);
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < work.Length; i += 8)
            {
                var (text, locale) = lines[work[i]];
                if (GoldenAnswers.Difference(expected[work[i]], understander.Understand(text, locale, context)) is { } difference)
                {
                    mismatches.Add($"'{text}': {difference}");
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Empty(mismatches);
    }
}
