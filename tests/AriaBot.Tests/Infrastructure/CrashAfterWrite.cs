using AriaBot.Audit;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests;

/// <summary>A hook run just before a write's outcome is recorded, i.e. after Aria answered the write.</summary>
internal interface IWriteIntentsDecorator
{
    Task<bool> BeforeCompleteAsync();
}

internal static class WriteIntentsDecoration
{
    /// <summary>
    /// Replaces the host's write intents with the real store behind <paramref name="hook"/>: a hook that throws kills
    /// the turn right after Aria committed and before anything else is saved — a crash at the worst moment.
    /// </summary>
    public static IServiceCollection Decorate(this IServiceCollection services, IWriteIntentsDecorator hook) =>
        services.AddSingleton<IWriteIntents>(sp => new HookedWriteIntents(new StorageWriteIntents(sp.GetRequiredService<IStorage>(), sp.GetRequiredService<TimeProvider>()), hook));

    private sealed class HookedWriteIntents(IWriteIntents inner, IWriteIntentsDecorator hook) : IWriteIntents
    {
        public Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default) => inner.RecordPendingAsync(intent, cancellationToken);

        public async Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default)
        {
            await hook.BeforeCompleteAsync();
            return await inner.TryCompleteAsync(id, status, outcome, customerTold, cancellationToken);
        }

        public Task MarkToldAsync(string id, CancellationToken cancellationToken = default) => inner.MarkToldAsync(id, cancellationToken);

        public Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default) =>
            inner.OpenForConversationAsync(conversationKey, cancellationToken);

        public Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default) => inner.AllOpenAsync(cancellationToken);
    }
}
