using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BotRuntime.Telemetry;

/// <summary>
/// The runtime's spans and metrics (a span per turn and per storage call; turn counts and latency). Plain
/// <see cref="System.Diagnostics"/> types: nothing is recorded unless the host listens (OpenTelemetry in AriaBot), and
/// the runtime takes no dependency on an SDK.
/// </summary>
/// <remarks>
/// What is recorded is chosen, never copied wholesale: channel, activity type, outcome, the storage operation, the
/// store and the first segment of a key ("deliveries", "bindings"). Never a conversation or user id, a key in full, a
/// document or a text — those can name a customer or carry what they typed.
/// </remarks>
public static class BotTelemetry
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "AriaBot.Runtime";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Turns run, by channel, activity type and outcome (<c>ok</c> or <c>error</c>).</summary>
    public static readonly Counter<long> Turns = Meter.CreateCounter<long>("ariabot.turns", "{turn}", "Turns run by the bot");

    /// <summary>How long a turn took, from the first middleware to the last state save.</summary>
    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>("ariabot.turn.duration", "s", "Turn latency");

    /// <summary>State store calls, by operation and outcome.</summary>
    public static readonly Counter<long> StorageCalls = Meter.CreateCounter<long>("ariabot.storage.calls", "{call}", "State store calls");

    /// <summary>How long a state store call took.</summary>
    public static readonly Histogram<double> StorageDuration = Meter.CreateHistogram<double>("ariabot.storage.duration", "s", "State store latency");

    private static readonly AsyncLocal<TimeSpan?> LeaseWaitOfTurn = new();

    /// <summary>
    /// How long the turn running on this asynchronous flow waited for its conversation (in-process queue and, on
    /// PostgreSQL, the lease row) before it could start; the turn's span starts that much earlier and records it as
    /// <c>lease.wait_ms</c>, with a child span <c>bot.turn.lease_wait</c>. Null outside a turn run by the runtime.
    /// </summary>
    public static TimeSpan? LeaseWait => LeaseWaitOfTurn.Value;

    /// <summary>Records the current turn's wait (called when the turn takes its lease, on the turn's flow).</summary>
    public static void EnterLeaseWait(TimeSpan? waited) => LeaseWaitOfTurn.Value = waited;

    /// <summary>The part of a storage key before its first '/', which names the kind of record and never the customer.</summary>
    public static string KeyKind(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? key[..slash] : "other";
    }
}
