using AriaBot.Changes;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests;

/// <summary>Thrown by an armed <see cref="CrashAfterWrite"/>: the process "died" after Aria committed.</summary>
internal sealed class SimulatedCrashException() : Exception("Simulated crash: the process died after Aria committed and before anything was saved.");

/// <summary>
/// The host's real write intents, behind a switch: armed, the next completion throws — the turn dies right after Aria
/// answered the write and before its outcome or the conversation state is saved, a crash at the worst moment.
/// </summary>
internal sealed class CrashAfterWrite(IWriteLedger inner) : IWriteLedger
{
    public bool Armed { get; set; }

    public Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default) => inner.RecordPendingAsync(intent, cancellationToken);

    public Task<bool> RecordPendingAsync(WriteIntent intent, BotRuntime.Builder.ITurnContext turn, CancellationToken cancellationToken = default) =>
        inner.RecordPendingAsync(intent, turn, cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> OpenForTurnAsync(BotRuntime.Builder.ITurnContext turn, CancellationToken cancellationToken = default) =>
        inner.OpenForTurnAsync(turn, cancellationToken);

    public Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default)
    {
        if (Armed)
        {
            Armed = false;
            throw new SimulatedCrashException();
        }
        return inner.TryCompleteAsync(id, status, outcome, customerTold, cancellationToken);
    }

    public Task MarkToldAsync(string id, CancellationToken cancellationToken = default) => inner.MarkToldAsync(id, cancellationToken);

    public Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default) =>
        inner.OpenForConversationAsync(conversationKey, cancellationToken);

    public Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default) => inner.AllOpenAsync(cancellationToken);
}

internal static class CrashAfterWriteRegistration
{
    /// <summary>Puts <see cref="CrashAfterWrite"/> (unarmed) in front of the real store; arm it through the host's services.</summary>
    public static IServiceCollection AddCrashAfterWrite(this IServiceCollection services) => services
        .AddSingleton(sp => new CrashAfterWrite(new StorageWriteLedger(sp.GetRequiredService<IStorage>(), sp.GetRequiredService<TimeProvider>())))
        .AddSingleton<IWriteLedger>(sp => sp.GetRequiredService<CrashAfterWrite>());
}
