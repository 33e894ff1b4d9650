using AriaBot.Shell;
using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Shell;

/// <summary>
/// The background warm-up of the turn's path (issue 22, start-up): it runs once after start-up, leaves nothing a
/// customer or an invariant could see (no stored row of a conversation, no Aria call), and the first turn after it is
/// answered as usual. It waits for the first turn to be answered, or for <c>Shell:WarmUpDelay</c> on the host's clock
/// when no turn comes, so that it does not take a core from the first customer's "hi".
/// </summary>
public sealed class FirstTurnWarmUpTests
{
    private static async Task<FirstTurnWarmUp> CompletedAsync(AssistantTestHost host)
    {
        var warmUp = host.Services.GetRequiredService<FirstTurnWarmUp>();
        await warmUp.Completed.WaitAsync(TimeSpan.FromMinutes(2));
        return warmUp;
    }

    [Fact]
    public async Task Warm_up_runs_once_in_the_background_and_stores_and_calls_nothing()
    {
        await using var host = new AssistantTestHost(new() { ["Shell:WarmUp"] = "true", ["Shell:WarmUpDelay"] = "00:00:00" }, services => services.AddCountingStorage());
        var storage = host.Services.GetRequiredService<CountingStorage>();
        // The client starts the host; the warm-up was started with it.
        using var _ = await host.Client.GetAsync(new Uri("/", UriKind.Relative));

        await CompletedAsync(host);

        Assert.Contains(host.Logs.GetSnapshot(), record => record.Message.StartsWith("The turn's path was warmed up in", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), record => record.Message.StartsWith("Warming up the turn's path failed", StringComparison.Ordinal));
        var written = storage.Calls.Where(call => call.Kind == "write").SelectMany(call => call.Keys).ToList();
        Assert.DoesNotContain(written, key => key.Contains("/conversations/", StringComparison.Ordinal) || key.StartsWith("transcripts/", StringComparison.Ordinal));
        Assert.Empty(host.Sandbox.Calls.All);

        // The first turn after it is answered as usual.
        var chat = host.Conversation();
        var replies = await chat.SayAsync("hi");
        Assert.Contains("Hello", string.Join("\n", AssistantConversation.Texts(replies)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warm_up_waits_for_the_first_turn_and_runs_when_it_is_answered()
    {
        await using var host = new AssistantTestHost(new() { ["Shell:WarmUp"] = "true", ["Shell:WarmUpDelay"] = "00:10:00" });
        using var _ = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        var warmUp = host.Services.GetRequiredService<FirstTurnWarmUp>();

        // Started with the host, it would have begun by now; it waits for a turn (the clock never reaches the delay).
        await Task.WhenAny(warmUp.Started, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(warmUp.Started.IsCompleted);

        var replies = await host.Conversation().SayAsync("hi");
        Assert.Contains("Hello", string.Join("\n", AssistantConversation.Texts(replies)), StringComparison.Ordinal);

        await CompletedAsync(host);
        Assert.Contains(host.Logs.GetSnapshot(), record => record.Message.StartsWith("The turn's path was warmed up in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_turn_warm_up_runs_once_the_delay_has_passed_on_the_hosts_clock()
    {
        await using var host = new AssistantTestHost(new() { ["Shell:WarmUp"] = "true", ["Shell:WarmUpDelay"] = "00:00:05" });
        using var _ = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        var warmUp = host.Services.GetRequiredService<FirstTurnWarmUp>();

        await Task.WhenAny(warmUp.Started, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(warmUp.Started.IsCompleted);

        // The delay's timer is set once the host has started, on a pool thread: move the clock until it has fired.
        while (!warmUp.Started.IsCompleted)
        {
            host.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(warmUp.Started, Task.Delay(TimeSpan.FromMilliseconds(50)));
        }

        await CompletedAsync(host);
        Assert.Contains(host.Logs.GetSnapshot(), record => record.Message.StartsWith("The turn's path was warmed up in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_culture_the_first_turn_spoke_is_warmed_first()
    {
        await using var host = new AssistantTestHost(new() { ["Shell:WarmUp"] = "true", ["Shell:WarmUpDelay"] = "00:10:00" });
        using var _ = await host.Client.GetAsync(new Uri("/", UriKind.Relative));

        await host.Conversation(locale: "es-ES").SayAsync("hola");

        var warmUp = await CompletedAsync(host);
        Assert.Equal([BotCulture.SpanishSpain, BotCulture.EnglishUS], warmUp.Warmed);
    }

    [Fact]
    public async Task The_other_culture_waits_until_no_turn_is_running()
    {
        await using var host = new AssistantTestHost(new() { ["Shell:WarmUp"] = "true", ["Shell:WarmUpDelay"] = "00:10:00" });
        using var _ = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        var warmUp = host.Services.GetRequiredService<FirstTurnWarmUp>();

        // A customer's turn that is still running (held in a middleware behind the warm-up's) when another is answered.
        var holding = new HoldingMiddleware();
        var held = new TestAdapter(new TestAdapterOptions { ConversationId = "held" }, [.. host.Services.GetServices<IMiddleware>(), holding]);
        var heldTurn = held.ProcessActivityAsync(held.MakeActivity("hi"), host.Services.GetRequiredService<IBot>().OnTurnAsync);
        await holding.Entered.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await host.Conversation().SayAsync("hi");

        // The first turn's culture is warmed; the other waits for the running turn (the fake clock never ends its wait).
        await Task.WhenAny(warmUp.WaitingForTurns, warmUp.Completed).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(warmUp.WaitingForTurns.IsCompleted, "the warm-up ended while a turn was running");
        Assert.Equal([BotCulture.EnglishUS], warmUp.Warmed);
        Assert.False(warmUp.Completed.IsCompleted);

        holding.Release.SetResult();
        await heldTurn.WaitAsync(TimeSpan.FromMinutes(2));
        await CompletedAsync(host);
        Assert.Equal([BotCulture.EnglishUS, BotCulture.SpanishSpain], warmUp.Warmed);
    }

    private sealed class HoldingMiddleware : IMiddleware
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            await next(cancellationToken);
        }
    }

    [Fact]
    public async Task Warm_up_off_does_nothing()
    {
        await using var host = new AssistantTestHost(new() { ["Shell:WarmUp"] = "false" });
        using var _ = await host.Client.GetAsync(new Uri("/", UriKind.Relative));

        await CompletedAsync(host);

        Assert.DoesNotContain(host.Logs.GetSnapshot(), record => record.Message.Contains("warmed up", StringComparison.Ordinal));
    }
}
