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

    /// <summary>The part of a storage key before its first '/', which names the kind of record and never the customer.</summary>
    public static string KeyKind(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? key[..slash] : "other";
    }
}
