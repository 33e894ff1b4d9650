using Aria.Sandbox.State;

namespace AriaSandbox.Tests.Calls;

public sealed class SandboxBehaviourTests
{
    private const string Alice = "1000001";
    private const string Erin = "1000005";
    private const string Frank = "1000006";

    [Fact]
    public async Task The_anniversary_rolls_the_period_over_and_bills_it_in_advance()
    {
        using var aria = new SandboxDirect();
        var before = aria.Sandbox.Invoices(1000001).Count;
        aria.Time.Advance(TimeSpan.FromDays(21)); // 2026-12-01, Alice's anniversary
        var plans = await aria.CallAsync("get_acct_plans_m", ("acct_no", Alice));
        Assert.Equal("2027-01-01", plans["acct_plans_m"]![0]!["next_bill_date"]!.GetValue<string>());
        var invoices = aria.Sandbox.Invoices(1000001);
        Assert.Equal(before + 1, invoices.Count);
        Assert.Equal(39.00m, invoices[^1].Total);
        Assert.Equal(new DateOnly(2026, 12, 1), invoices[^1].BillDate);
        Assert.Equal(39.00m, aria.Sandbox.Account(1000001).Balance);
    }

    [Fact]
    public async Task Keep_alive_extends_a_session_and_kill_ends_it()
    {
        using var aria = new SandboxDirect();
        var session = (await aria.CallAsync("set_session_auth_m", ("user_id", "alice"), ("password", "alice-demo-1")))["session_id"]!.GetValue<string>();
        aria.Time.Advance(TimeSpan.FromMinutes(25));
        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("keep_alive_m", ("session_id", session))));
        aria.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("validate_session_m", ("session_id", session))));
        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("kill_session_m", ("session_id", session))));
        Assert.Equal(1011, SandboxDirect.Code(await aria.CallAsync("validate_session_m", ("session_id", session))));
    }

    [Fact]
    public async Task A_master_switch_drops_supplementals_the_new_master_cannot_carry_and_credits_them()
    {
        using var aria = new SandboxDirect();
        var master = aria.Sandbox.PlanInstances(1000005).First(p => p.IsMaster);
        // Erin (Premium, bill day 10, period 11-10..12-10 = 30 days, today 11-10: factor 1) → Basic:
        // Priority Support (15.00) cannot sit under Basic and is dropped with its credit.
        var reply = await aria.CallAsync("replace_acct_plan_m", ("acct_no", Erin), ("plan_instance_no", master.PlanInstanceNo.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("new_plan_no", "11"), ("do_write", "true"));
        Assert.Equal(0, SandboxDirect.Code(reply));
        var amounts = reply["acct_plan_line_items"]!.AsArray().Select(l => l!["line_amount"]!.GetValue<decimal>()).ToList();
        Assert.Equal([-59.00m, 19.00m, -15.00m], amounts);
        var instances = aria.Sandbox.PlanInstances(1000005);
        Assert.Equal(-2, instances.Single(i => i.PlanNo == 22).StatusCd);
        Assert.All(instances.Where(i => i.PlanNo is 21 or 23), i => Assert.Equal(1, i.StatusCd));
    }

    [Fact]
    public async Task Cancel_cascades_to_children_and_directive_1_waits_as_pending_cancellation()
    {
        using var aria = new SandboxDirect();
        var master = aria.Sandbox.PlanInstances(1000006).First(p => p.IsMaster).PlanInstanceNo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var queued = await aria.CallAsync("cancel_acct_plan_m", ("acct_no", Frank), ("plan_instance_no", master), ("assignment_directive", "1"));
        Assert.Equal(0m, queued["proration_result_amount"]!.GetValue<decimal>());
        Assert.All(aria.Sandbox.PlanInstances(1000006), i => Assert.Equal(2, i.StatusCd));

        aria.Time.Advance(TimeSpan.FromDays(10)); // Frank's anniversary is the 20th
        await aria.CallAsync("get_acct_plans_m", ("acct_no", Frank));
        Assert.All(aria.Sandbox.PlanInstances(1000006), i => Assert.Equal(-2, i.StatusCd));
    }

    [Fact]
    public async Task A_future_dated_change_runs_on_its_effective_date()
    {
        using var aria = new SandboxDirect();
        var master = aria.Sandbox.PlanInstances(1000001).First(p => p.IsMaster);
        var reply = await aria.CallAsync("update_acct_plan_m", ("acct_no", Alice), ("plan_instance_no", master.PlanInstanceNo.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("plan_units", "2"), ("assignment_directive", "9"), ("effective_date", "2026-11-16"), ("include_plan_instance_queue", "true"));
        Assert.Single(reply["plan_instance_queue"]!.AsArray());
        Assert.Equal(1m, aria.Sandbox.PlanInstances(1000001)[0].Units);

        aria.Time.Advance(TimeSpan.FromDays(6)); // 2026-11-16: 15 of 30 days left, forced proration
        await aria.CallAsync("get_acct_plans_m", ("acct_no", Alice));
        Assert.Equal(2m, aria.Sandbox.PlanInstances(1000001)[0].Units);
        Assert.Equal(19.50m, aria.Sandbox.Invoices(1000001)[^1].Total);
    }

    [Fact]
    public async Task Order_preview_changes_nothing_and_orders_validate_units_sku_and_client_order_id()
    {
        using var aria = new SandboxDirect();
        var master = aria.Sandbox.PlanInstances(1000001).First(p => p.IsMaster).PlanInstanceNo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (string, string)[] order = [("acct_no", Alice), ("plan_instance_no", master), ("client_sku[]", "HDS-USB-200"), ("units[]", "2"), ("client_order_id", "A-1")];
        var preview = await aria.CallAsync("create_order_m", [.. order, ("do_write", "false")]);
        Assert.Equal(99.00m, preview["total_charges_after_tax"]!.GetValue<decimal>());
        Assert.Empty(aria.Sandbox.Orders(1000001));

        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("create_order_m", order)));
        Assert.Single(aria.Sandbox.Orders(1000001));
        Assert.Equal(3118, SandboxDirect.Code(await aria.CallAsync("create_order_m", order)));
        Assert.Equal(3010, SandboxDirect.Code(await aria.CallAsync("create_order_m", ("acct_no", Alice), ("plan_instance_no", master), ("client_sku[]", "HDS-USB-200"), ("units[]", "0"))));
        Assert.Equal(3034, SandboxDirect.Code(await aria.CallAsync("create_order_m", ("acct_no", Alice), ("plan_instance_no", master), ("client_sku[]", "HDS-USB-200"), ("units[]", "1"), ("bill_immediately", "9"))));
        Assert.Equal(1016, SandboxDirect.Code(await aria.CallAsync("create_order_m", ("acct_no", Alice), ("plan_instance_no", master), ("client_sku[]", "MDM-OLD-1"), ("units[]", "1"))));
    }

    [Fact]
    public async Task Contacts_clear_with_tilde_and_check_dates_and_contact_ind()
    {
        using var aria = new SandboxDirect();
        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("update_contact_m", ("acct_no", Alice), ("contact_ind", "4"), ("email", "statements@example.com"), ("phone", "~"))));
        var statement = aria.Sandbox.Account(1000001).BillingGroups[0].StatementContact;
        Assert.Equal("statements@example.com", statement.Email);
        Assert.Null(statement.Phone);
        Assert.Equal(1024, SandboxDirect.Code(await aria.CallAsync("update_contact_m", ("acct_no", Alice), ("contact_ind", "1"), ("birthdate", "01/02/1990"))));
        Assert.Equal(1016, SandboxDirect.Code(await aria.CallAsync("update_contact_m", ("acct_no", Alice), ("contact_ind", "5"))));
        Assert.Equal(1010, SandboxDirect.Code(await aria.CallAsync("update_contact_m", ("contact_ind", "1"))));
    }

    [Fact]
    public async Task Disabling_a_payment_method_is_permanent_and_new_methods_take_its_billing_group()
    {
        using var aria = new SandboxDirect();
        var card = aria.Sandbox.Account(1000001).PaymentMethods[0].PaymentMethodNo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var replaced = await aria.CallAsync("update_payment_method_m", ("acct_no", Alice), ("payment_method_no", card), ("pay_method_type", "1"), ("cc_num", "5555555555554444"), ("cc_expire_mm", "4"), ("cc_expire_yyyy", "2030"));
        var account = aria.Sandbox.Account(1000001);
        var created = account.PaymentMethods.Single(m => m.PaymentMethodNo == replaced["seq_no"]!.GetValue<long>());
        Assert.Equal("4444", created.Suffix);
        Assert.Equal(account.BillingGroups[0].PrimaryPaymentMethodNo, created.PaymentMethodNo);
        Assert.True(account.PaymentMethods.Single(m => m.PaymentMethodNo.ToString(System.Globalization.CultureInfo.InvariantCulture) == card).Disabled);
        Assert.Equal(4006, SandboxDirect.Code(await aria.CallAsync("update_payment_method_m", ("acct_no", Alice), ("payment_method_no", card), ("disabled_ind", "0"))));
    }

    [Fact]
    public async Task Histories_come_from_the_ledger_newest_first_with_the_record_limit()
    {
        using var aria = new SandboxDirect();
        var history = (await aria.CallAsync("get_acct_trans_history_m", ("account_no", Frank), ("record_limit", "3")))["history"]!.AsArray();
        Assert.Equal(3, history.Count);
        var dates = history.Select(h => h!["transaction_create_date"]!.GetValue<string>()).ToList();
        Assert.Equal(dates.OrderByDescending(d => d, StringComparer.Ordinal), dates);
        var all = (await aria.CallAsync("get_acct_trans_history_m", ("account_no", Frank)))["history"]!.AsArray();
        Assert.Equal(aria.Sandbox.Read(s => s.Transactions.Count(t => t.AcctNo == 1000006)), all.Count);
    }

    [Fact]
    public async Task Demo_seed_has_the_accounts_the_flows_need()
    {
        using var aria = new SandboxDirect();
        var demo = aria.Sandbox.DemoAccounts;
        Assert.Equal(["alice", "bob", "carol", "dave", "erin", "frank", "grace"], demo.Select(d => d.UserId));
        Assert.Equal(0m, aria.Sandbox.Account("alice").Balance);
        Assert.Equal(38.00m, aria.Sandbox.Account("bob").Balance);
        Assert.Equal(CardBehaviour.DeclineDoNotHonor, aria.Sandbox.Account("carol").PaymentMethods[0].Behaviour);
        Assert.Equal(0, aria.Sandbox.Account("dave").StatusCd);
        Assert.Equal(3, aria.Sandbox.PlanInstances(1000005).Count(p => !p.IsMaster));
        Assert.Equal(3, aria.Sandbox.Orders(1000006).Count);
        Assert.Empty(aria.Sandbox.Account("grace").PaymentMethods);
        Assert.All(aria.Sandbox.Read(s => s.Accounts.SelectMany(a => a.PaymentMethods).ToList()), m => Assert.Equal(4, m.Suffix.Length));
        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("get_client_plans_basic_m")));
    }
}
