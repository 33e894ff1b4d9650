using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The in-memory store takes a lock per stripe of keys instead of one for the whole store (issue 22). What that must not
/// change: an eTag conflict is still detected when writers race, a multi-key write is still all or nothing (also to a
/// multi-key read), and a key rewritten while the purge runs is neither lost nor left unscheduled. One test is
/// deterministic: a rival write held between a write's eTag check and its publication (the store's test hook
/// <c>ConditionsChecked</c>) fails when the two are not under one hold of the stripe lock.
/// </summary>
public sealed class MemoryStorageConcurrencyTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    private static StoreWrite Doc(object value, string? eTag, DateTimeOffset? expires = null) => new(JsonSerializer.SerializeToElement(value), eTag, expires);

    [Fact]
    public async Task Racing_read_modify_write_loops_over_several_keys_lose_no_update_and_never_half_write()
    {
        var store = new MemoryStorage(_clock);
        // Eight keys, so a write of two of them usually spans two stripes, and some pairs share one.
        var keys = Enumerable.Range(0, 8).Select(i => $"counters/{i}").ToArray();
        await store.WriteAsync(keys.ToDictionary(key => key, key => Doc(new { n = 0 }, null)));
        var wins = new int[keys.Length];
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 300; round++)
            {
                var a = keys[(worker + round) % keys.Length];
                var b = keys[(worker + 3 * round + 1) % keys.Length];
                if (a == b)
                {
                    continue;
                }
                // Read both, then write both under the eTags read; retry on a conflict.
                while (true)
                {
                    var read = await store.ReadAsync([a, b]);
                    var changes = new Dictionary<string, StoreWrite>
                    {
                        [a] = Doc(new { n = read[a].Document.GetProperty("n").GetInt32() + 1 }, read[a].ETag),
                        [b] = Doc(new { n = read[b].Document.GetProperty("n").GetInt32() + 1 }, read[b].ETag),
                    };
                    try
                    {
                        await store.WriteAsync(changes);
                        Interlocked.Increment(ref wins[Array.IndexOf(keys, a)]);
                        Interlocked.Increment(ref wins[Array.IndexOf(keys, b)]);
                        break;
                    }
                    catch (StorageConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })));

        var final = await store.ReadAsync(keys);
        for (var i = 0; i < keys.Length; i++)
        {
            // Every successful write counted exactly once: none overwrote another under a stale eTag, none half-applied.
            Assert.Equal(wins[i], final[keys[i]].Document.GetProperty("n").GetInt32());
        }
        Assert.True(wins.Sum() > 0);
    }

    [Fact]
    public async Task No_writer_with_the_same_eTag_gets_in_between_a_writes_eTag_check_and_its_publication()
    {
        // Deterministic (the racing tests above only make it likely): the first writer stops between its eTag check and
        // its publication while a rival with the same eTag tries. Under one hold of the stripe lock the rival cannot get
        // in until the first has published, and then conflicts; were the check and the publication under two holds, the
        // rival would pass its check in between and both writes would "win" (a lost update).
        var store = new MemoryStorage(_clock);
        var start = (await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = "start" }, null) }))["k"];
        var rivalWon = (bool?)null;
        var rivalFinishedInBetween = false;
        // A thread of its own, not the pool's: a loaded pool must not delay the rival past the wait below.
        var rival = new Thread(() => rivalWon = WinsWrite(store, "rival", start));
        store.ConditionsChecked = () =>
        {
            // Only the first writer's: the rival runs without the hook.
            store.ConditionsChecked = null;
            rival.Start();
            // Long enough for an unblocked rival to finish even on a loaded machine; a blocked one waits it out.
            rivalFinishedInBetween = rival.Join(TimeSpan.FromSeconds(2));
        };

        await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = "first" }, start) });
        Assert.True(rival.Join(TimeSpan.FromSeconds(30)), "the rival writer never finished");

        Assert.False(rivalFinishedInBetween, "a rival write ran between the first write's eTag check and its publication");
        Assert.False(rivalWon, "two writes with the same eTag both succeeded");
        Assert.Equal("first", (await store.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetString());
    }

    // The memory store answers at once (its tasks are complete when returned), so a plain thread can wait on it.
    private static bool WinsWrite(MemoryStorage store, string value, string eTag)
    {
        try
        {
            store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = Doc(new { v = value }, eTag) }).GetAwaiter().GetResult();
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_multi_key_write_that_conflicts_on_its_last_key_leaves_its_first_keys_untouched_while_others_race()
    {
        var store = new MemoryStorage(_clock);
        var keys = Enumerable.Range(0, 16).Select(i => $"k/{i}").ToArray();
        var eTags = await store.WriteAsync(keys.ToDictionary(key => key, key => Doc(new { v = "start" }, null)));
        // Each writer names every key with the eTags of the start, so exactly one of them can win, and the losers must
        // leave every key as the winner wrote it (a half-applied loser would mix values).
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            try
            {
                await store.WriteAsync(keys.ToDictionary(key => key, key => Doc(new { v = $"w{writer}" }, eTags[key])));
                return writer;
            }
            catch (StorageConflictException)
            {
                return -1;
            }
        })));
        var winner = Assert.Single(results, writer => writer >= 0);
        var stored = await store.ReadAsync(keys);
        Assert.All(keys, key => Assert.Equal($"w{winner}", stored[key].Document.GetProperty("v").GetString()));
    }

    [Fact]
    public async Task Keys_rewritten_while_the_purge_runs_survive_it_and_still_expire_later()
    {
        var store = new MemoryStorage(_clock);
        var start = _clock.GetUtcNow();
        const int count = 3 * MemoryStorage.PurgeBatch;
        for (var i = 0; i < count; i++)
        {
            await store.WriteAsync(new Dictionary<string, StoreWrite> { [$"c/{i:D5}"] = Doc(new { i }, null, start + TimeSpan.FromMinutes(1)) });
        }
        _clock.Advance(TimeSpan.FromMinutes(2));
        var later = _clock.GetUtcNow() + TimeSpan.FromHours(1);

        // Even keys are written again (with a later expiry) while the purge walks the queue.
        var rewrite = Task.Run(async () =>
        {
            for (var i = 0; i < count; i += 2)
            {
                await store.WriteAsync(new Dictionary<string, StoreWrite> { [$"c/{i:D5}"] = Doc(new { i, again = true }, StoreWrite.AnyETag, later) });
            }
        });
        var purge = Task.Run(() => store.PurgeExpiredAsync());
        await Task.WhenAll(rewrite, purge);
        await store.PurgeExpiredAsync(); // whatever the race left due

        var left = await store.ReadPrefixAsync("c/", 10 * count);
        Assert.Equal(Enumerable.Range(0, count).Where(i => i % 2 == 0).Select(i => $"c/{i:D5}"), left.Select(pair => pair.Key));

        // Each rewritten key is still scheduled once: an hour later the purge removes them all and the queue is empty.
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(count / 2, await store.PurgeExpiredAsync());
        Assert.Empty(await store.ReadPrefixAsync("", 10));
        Assert.Equal(0, store.ScheduledCount);
    }

    [Fact]
    public async Task Keys_created_and_deleted_from_many_threads_are_exactly_what_a_prefix_read_lists()
    {
        var store = new MemoryStorage(_clock);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var key = $"p/{worker}/{i:D3}";
                await store.WriteAsync(new Dictionary<string, StoreWrite> { [key] = Doc(new { i }, null) });
                if (i % 3 == 0)
                {
                    await store.DeleteAsync([key]);
                }
            }
        })));
        var expected = Enumerable.Range(0, 8).SelectMany(worker => Enumerable.Range(0, 200).Where(i => i % 3 != 0).Select(i => $"p/{worker}/{i:D3}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, (await store.ReadPrefixAsync("p/", 10_000)).Select(pair => pair.Key));
    }
}
