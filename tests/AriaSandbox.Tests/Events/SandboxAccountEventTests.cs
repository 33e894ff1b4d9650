using System.Globalization;

namespace AriaSandbox.Tests.Events;

/// <summary>The account-class events of cancellations, contacts and payment methods, and none for a refused call.</summary>
public sealed class SandboxAccountEventTests
{
    private static string No(long value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_cancellation_at_the_anniversary_is_queued_for_de_assignment_then_de_assigned_for_master_and_supplemental()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: SandboxEventTests.Settings(receiver.Url));
        var master = aria.Sandbox.PlanInstances(1000006).First(p => p.IsMaster).PlanInstanceNo;

        await aria.CallAsync("cancel_acct_plan_m", ("acct_no", "1000006"), ("plan_instance_no", No(master)), ("assignment_directive", "1"));
        Assert.Equal([728, 729], aria.Sandbox.Events.Select(e => e.EventId).Order());

        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(10)); // Frank's anniversary is the 20th
        var frank = aria.Sandbox.Events.Where(e => e.AcctNo == 1000006).Select(e => e.EventId).ToList();
        Assert.Equal([726, 727], frank.Skip(2).Order());
        Assert.DoesNotContain(901, frank); // nothing live is left to bill
    }

    [Fact]
    public async Task Billing_contact_and_payment_method_changes_emit_717_and_716_and_a_refused_call_emits_nothing()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: SandboxEventTests.Settings(receiver.Url));

        await aria.CallAsync("update_contact_m", ("acct_no", "1000001"), ("contact_ind", "1"), ("city", "Lisbon"));
        Assert.Empty(aria.Sandbox.Events); // the account contact is not the billing contact

        await aria.CallAsync("update_contact_m", ("acct_no", "1000001"), ("contact_ind", "2"), ("city", "Porto"));
        Assert.Equal([717], aria.Sandbox.Events.Select(e => e.EventId));

        var card = aria.Sandbox.Account(1000001).PaymentMethods.Single().PaymentMethodNo;
        await aria.CallAsync("update_payment_method_m", ("acct_no", "1000001"), ("payment_method_no", No(card)), ("disabled_ind", "1"));
        Assert.Equal([717, 716], aria.Sandbox.Events.Select(e => e.EventId));

        var refused = await aria.CallAsync("replace_acct_plan_m", ("acct_no", "1000001"), ("plan_instance_no", No(aria.Sandbox.PlanInstances(1000001)[0].PlanInstanceNo)),
            ("new_plan_no", "999"), ("do_write", "true"));
        Assert.NotEqual(0, SandboxDirect.Code(refused));
        Assert.Equal(2, aria.Sandbox.Events.Count);
    }
}
