using System.Diagnostics.Metrics;

namespace AriaBot.Telemetry;

/// <summary>
/// The assistant's own metrics: account writes, reconciliations of writes whose reply was lost, handoffs. Tagged with
/// the kind of change and how it ended — never an account, a receipt id or an amount.
/// </summary>
public static class AssistantTelemetry
{
    /// <summary>The name of the <see cref="Meter"/>.</summary>
    public const string Name = "AriaBot.Assistant";

    private static readonly Meter Meter = new(Name);

    /// <summary>Account writes settled at once, by kind (<c>plan-switch</c>, <c>payment</c>…) and outcome (<c>Committed</c>, <c>Rejected</c>, <c>Failed</c>).</summary>
    public static readonly Counter<long> Writes = Meter.CreateCounter<long>("ariabot.writes", "{write}", "Account writes sent to Aria");

    /// <summary>Writes settled by reading the account, by kind and the status proven (<c>Committed</c>, <c>NotApplied</c>, <c>Unknown</c>).</summary>
    public static readonly Counter<long> Reconciliations = Meter.CreateCounter<long>("ariabot.reconciliations", "{write}", "Pending writes reconciled");

    /// <summary>Conversations handed to a person.</summary>
    public static readonly Counter<long> Handoffs = Meter.CreateCounter<long>("ariabot.handoffs", "{handoff}", "Conversations handed to an agent");

    public static void RecordWrite(string kind, string outcome) =>
        Writes.Add(1, new KeyValuePair<string, object?>("ariabot.write.kind", kind), new KeyValuePair<string, object?>("ariabot.write.outcome", outcome));

    public static void RecordReconciliation(string kind, string status) =>
        Reconciliations.Add(1, new KeyValuePair<string, object?>("ariabot.write.kind", kind), new KeyValuePair<string, object?>("ariabot.write.outcome", status));
}
