using BotRuntime.Hosting;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// Invariant 5 inside one process: however many turns of however many conversations run at once, two turns of one
/// conversation never overlap, and every turn gets its conversation in the end (the striped locks of issue 22).
/// </summary>
public sealed class ConversationLocksExclusionTests
{
    [Fact]
    public async Task Two_turns_of_one_conversation_never_overlap_under_many_threads_and_conversations()
    {
        const int Conversations = 200;
        const int TurnsPerConversation = 40;
        var locks = new ConversationLocks();
        var inside = new int[Conversations];
        var overlaps = 0;
        var completed = 0;
        var concurrentAcrossConversations = 0;
        var running = 0;

        async Task TurnAsync(int conversation)
        {
            // Keys that differ in one character and share stripes, as real conversation keys do.
            await using var lease = await locks.TryAcquireAsync($"test/conv-{conversation}", TimeSpan.FromMinutes(1), CancellationToken.None)
                ?? throw new TimeoutException("a turn never got its conversation");
            if (Interlocked.Increment(ref inside[conversation]) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            if (Interlocked.Increment(ref running) > 1)
            {
                Interlocked.Increment(ref concurrentAcrossConversations);
            }
            // Hold the conversation across a thread hop and a little work, where an overlapping turn would show.
            await Task.Yield();
            Thread.SpinWait(200);
            Interlocked.Decrement(ref running);
            Interlocked.Decrement(ref inside[conversation]);
            Interlocked.Increment(ref completed);
        }

        // Turns of all conversations interleaved, started from many pool threads at once.
        var turns = Enumerable.Range(0, Conversations * TurnsPerConversation)
            .Select(i => Task.Run(() => TurnAsync(i % Conversations)))
            .ToArray();
        await Task.WhenAll(turns);

        Assert.Equal(0, overlaps);
        Assert.Equal(Conversations * TurnsPerConversation, completed);
        Assert.True(concurrentAcrossConversations > 0, "turns of different conversations ran side by side");
        Assert.Equal(0, locks.ActiveConversations);
    }

    [Fact]
    public async Task A_waiting_turn_of_the_same_conversation_gets_it_only_after_the_holder_lets_go()
    {
        var locks = new ConversationLocks();
        var held = await locks.TryAcquireAsync("test/one", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await locks.TryAcquireAsync("test/one", TimeSpan.FromMilliseconds(50), CancellationToken.None));
        // Another conversation is not held up by it.
        await using (var other = await locks.TryAcquireAsync("test/two", TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            Assert.NotNull(other);
        }
        var waiting = locks.TryAcquireAsync("test/one", TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var next = await waiting;
        Assert.NotNull(next);
        Assert.Equal(1, locks.ActiveConversations);
    }
}
