using Aria.Sandbox.Billing;
using Aria.Sandbox.State;
using Microsoft.Extensions.Options;

namespace Aria.Sandbox.Events;

/// <summary>
/// Turns a step of the sandbox (simulated time catching up, or one call) into event documents: a
/// snapshot before, the step, the differences after. Every method runs with the state lock held.
/// With no <c>Aria:SandboxEvents:Url</c> (and no automatic collection) it takes no snapshots at all.
/// </summary>
internal sealed class SandboxEventEmitter(SandboxEventOutbox outbox, IOptions<AriaSandboxOptions> options)
{
    // The cards already reported as pending expiration, so that each gets one 714.
    private readonly HashSet<long> _notifiedCards = [];

    private SandboxEventsOptions Settings => options.Value.SandboxEvents;

    /// <summary>Lets simulated time catch up to <paramref name="now"/>; returns the documents queued.</summary>
    public int CatchUp(SandboxState state, SandboxClient client, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (!outbox.Enabled && !Settings.AutomaticCollection)
        {
            BillingEngine.CatchUp(state, client, today);
            return 0;
        }

        var before = EventSnapshot.Take(state, state.BilledThrough);
        BillingEngine.CatchUp(state, client, today);
        var failures = Settings.AutomaticCollection ? AutomaticCollection.Run(state, before.InvoiceNos) : [];
        return outbox.Enabled ? outbox.Add(state, client, [.. before.Changes(state, today, _notifiedCards), .. failures], null, now) : 0;
    }

    /// <summary>Before a call's handler runs; null when no events are sent.</summary>
    public EventSnapshot? Before(SandboxState state, DateOnly today) => outbox.Enabled ? EventSnapshot.Take(state, today) : null;

    /// <summary>After the handler: the call's changes, carrying its <c>client_receipt_id</c>.</summary>
    public void After(SandboxState state, SandboxClient client, EventSnapshot? before, DateTimeOffset now, string? clientReceiptId)
    {
        if (before is not null)
        {
            outbox.Add(state, client, before.Changes(state, DateOnly.FromDateTime(now.UtcDateTime), _notifiedCards), clientReceiptId, now);
        }
    }

    /// <summary>Sandbox reset: the new seed's cards have not been reported.</summary>
    public void Clear() => _notifiedCards.Clear();
}
