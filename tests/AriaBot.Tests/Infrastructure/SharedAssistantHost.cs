namespace AriaBot.Tests;

/// <summary>
/// One <see cref="AssistantTestHost"/> (default settings, the real clock's start) for a test class whose tests each
/// hold their own conversation and chat user (<see cref="NewConversationId"/>), so they share the host the way
/// customers share the bot: the host starts once per class instead of once per test. A test that changes host-wide
/// settings or services, moves the clock, or counts host-wide calls keeps a host of its own.
/// </summary>
public sealed class SharedAssistantHost : IAsyncLifetime
{
    internal AssistantTestHost Host { get; } = new();

    /// <summary>A conversation (or chat user) id no other test of the class uses.</summary>
    public static string NewConversationId(string prefix = "convo") => $"{prefix}-{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
