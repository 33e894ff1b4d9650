using BotRuntime.State;

namespace BotRuntime.Hosting;

/// <summary>
/// Writes an ingress wants stored together with a turn's done record, in the same storage write (issue 22): our Direct
/// Line ends the turn's inbox entry this way instead of deleting it in a round trip of its own after the turn. Given to
/// <see cref="TurnProcessor.ProcessAsync(BotRuntime.Schema.Activity, BotRuntime.Connector.IChannelConnector?, System.Security.Claims.ClaimsIdentity?, ClosingWrites, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// They go wherever the done record goes: the turn's closing write (fenced, giving the lease back), or the done record's
/// own write when the turn failed before it. <see cref="Stored"/> stays false when no done record was written by this
/// call — the activity was answered from an earlier record, refused, or the conversation was busy — and the ingress then
/// writes them itself if it still wants them. Only writes whose conditions cannot fail belong here (<c>"*"</c> eTags):
/// a conflict on one of them would fail the turn's state with it.
/// </remarks>
public sealed class ClosingWrites(IReadOnlyDictionary<string, StoreWrite> writes)
{
    private volatile bool _stored;

    /// <summary>The keys to write with the done record.</summary>
    public IReadOnlyDictionary<string, StoreWrite> Writes { get; } = writes ?? throw new ArgumentNullException(nameof(writes));

    /// <summary>True once a write that stored the done record stored these too.</summary>
    public bool Stored => _stored;

    internal void MarkStored() => _stored = true;
}
