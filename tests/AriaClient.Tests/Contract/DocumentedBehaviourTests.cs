using System.Reflection;
using System.Text.Json.Serialization;
using Aria.Client;
using Aria.Client.Models;
using AriaClient.Tests.Infrastructure;

namespace AriaClient.Tests.Contract;

/// <summary>Aria's documented behaviour, checked through the client against the sandbox.</summary>
public sealed class DocumentedBehaviourTests
{
    private static async Task<long> MasterOf(IAriaClient aria, long acctNo) =>
        (await aria.GetAcctPlansAsync(new() { AcctNo = acctNo })).Value!.AcctPlansM!.First(p => p.SuppPlanInd == 0).PlanInstanceNo!.Value;

    [Fact]
    public async Task Preview_changes_nothing_and_equals_the_following_write()
    {
        using var host = new AriaTestHost();
        var master = await MasterOf(host.Aria, Demo.Alice);
        var before = host.Sandbox.Read(s => (s.Invoices.Count, s.Transactions.Count, Plan: s.PlanInstances.First(p => p.PlanInstanceNo == master).PlanNo, s.UsedReceiptIds.Count));
        var request = new ReplaceAcctPlanMRequest { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false, ClientReceiptId = "preview-1" };

        var preview = (await host.Aria.ReplaceAcctPlanAsync(request)).Value!;
        var again = (await host.Aria.ReplaceAcctPlanAsync(request)).Value!;
        Assert.Equal(before, host.Sandbox.Read(s => (s.Invoices.Count, s.Transactions.Count, Plan: s.PlanInstances.First(p => p.PlanInstanceNo == master).PlanNo, s.UsedReceiptIds.Count)));
        Assert.Null(preview.InvoiceNo);
        Assert.Equal(preview.ProrationResultAmount, again.ProrationResultAmount);

        request.DoWrite = true;
        var write = (await host.Aria.ReplaceAcctPlanAsync(request)).Value!;
        Assert.Equal(preview.ProrationResultAmount, write.ProrationResultAmount);
        Assert.Equal(preview.Total, write.Total);
        Assert.Equal(preview.AcctPlanLineItems!.Select(l => l.LineAmount), write.AcctPlanLineItems!.Select(l => l.LineAmount));
        Assert.NotNull(write.InvoiceNo);
        Assert.Equal(Demo.Premium, host.Sandbox.PlanInstances(Demo.Alice).First(p => p.PlanInstanceNo == master).PlanNo);
    }

    [Fact]
    public async Task Switch_is_prorated_by_days_left_over_days_in_the_period_in_a_30_day_month()
    {
        // 2026-11-10, bill day 1: period 11-01..12-01 = 30 days, 21 left → factor 0.7.
        // Standard 39.00 credited: -27.30; Premium 59.00 charged: 41.30; net 14.00.
        using var host = new AriaTestHost(start: new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        var master = await MasterOf(host.Aria, Demo.Alice);
        var preview = (await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false, AssignmentDirective = 4 })).Value!;
        Assert.Equal([-27.30m, 41.30m], preview.AcctPlanLineItems!.Select(l => l.LineAmount!.Value));
        Assert.Equal(0.7m, preview.AcctPlanLineItems![0].ProrationFactor);
        Assert.Equal(14.00m, preview.ProrationResultAmount);
        Assert.Equal(41.30m, preview.TotalChargesBeforeTax);
        Assert.Equal(27.30m, preview.TotalCredit);
        Assert.Equal(59.00m, preview.ExpectdMthlyRecurringCost);
        Assert.Equal("2026-11-10", preview.AcctPlanLineItems[1].DateRangeStart);
        Assert.Equal("2026-11-30", preview.AcctPlanLineItems[1].DateRangeEnd);
    }

    [Fact]
    public async Task Switch_is_prorated_and_rounded_to_cents_in_a_31_day_month()
    {
        // 2026-12-10, bill day 1: period 12-01..2027-01-01 = 31 days, 22 left.
        // 39 × 22/31 = 27.677… → -27.68; 59 × 22/31 = 41.870… → 41.87; net 14.19.
        using var host = new AriaTestHost(start: new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.Zero));
        var master = await MasterOf(host.Aria, Demo.Alice);
        var preview = (await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false })).Value!;
        Assert.Equal([-27.68m, 41.87m], preview.AcctPlanLineItems!.Select(l => l.LineAmount!.Value));
        Assert.Equal(14.19m, preview.ProrationResultAmount);
        Assert.Equal(0.709677m, preview.AcctPlanLineItems![0].ProrationFactor);
    }

    [Fact]
    public async Task Adding_a_supplemental_plan_charges_the_days_left_in_its_parents_period()
    {
        // 2026-11-10, Alice's Standard period 11-01..12-01: Extra Storage 5.00 × 2 units × 21/30 = 7.00.
        using var host = new AriaTestHost();
        var master = await MasterOf(host.Aria, Demo.Alice);
        var request = new AssignAcctPlanMRequest { AcctNo = Demo.Alice, NewPlanNo = Demo.ExtraStorage, ParentPlanInstanceNo = master, PlanUnits = 2, DoWrite = false };
        var preview = (await host.Aria.AssignAcctPlanAsync(request)).Value!;
        Assert.Equal(7.00m, preview.ProrationResultAmount);
        Assert.Equal(10.00m, preview.ExpectdMthlyRecurringCost);
        Assert.Equal(120.00m, preview.ExpectdAnnuRecurringCost);
        Assert.Null(preview.PlanInstanceNo);

        request.DoWrite = true;
        var written = (await host.Aria.AssignAcctPlanAsync(request)).Value!;
        var supp = host.Sandbox.PlanInstances(Demo.Alice).Single(p => p.PlanInstanceNo == written.PlanInstanceNo);
        Assert.Equal(master, supp.ParentPlanInstanceNo);
        Assert.Equal(7.00m, host.Sandbox.Account(Demo.Alice).Balance);

        var notLinked = await host.Aria.AssignAcctPlanAsync(new() { AcctNo = Demo.Bob, NewPlanNo = Demo.PrioritySupport, ParentPlanInstanceNo = await MasterOf(host.Aria, Demo.Bob), DoWrite = false });
        Assert.True(notLinked.Error!.Is(AriaErrorCode.InvalidInput));
    }

    [Fact]
    public async Task A_proration_start_date_before_the_period_is_refused()
    {
        using var host = new AriaTestHost();
        var master = await MasterOf(host.Aria, Demo.Alice);
        var early = await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false, AltProrationStartDate = new DateOnly(2026, 10, 31) });
        Assert.True(early.Error!.Is(AriaErrorCode.InvalidInput));
        var inPeriod = await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false, AltProrationStartDate = new DateOnly(2026, 11, 16) });
        Assert.Equal(10.00m, inPeriod.Value!.ProrationResultAmount); // 15 of 30 days: -19.50 + 29.50
    }

    [Fact]
    public async Task Directives_1_and_3_bill_nothing_now_and_an_unknown_directive_is_1035()
    {
        using var host = new AriaTestHost();
        var master = await MasterOf(host.Aria, Demo.Alice);
        foreach (var directive in new long[] { 1, 3 })
        {
            var preview = (await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false, AssignmentDirective = directive })).Value!;
            Assert.Equal(0m, preview.ProrationResultAmount);
        }

        var bad = await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, AssignmentDirective = 6 });
        Assert.True(bad.Error!.Is(AriaErrorCode.InvalidAssignmentDirective));
    }

    [Fact]
    public async Task Directive_1_applies_the_switch_at_the_anniversary()
    {
        using var host = new AriaTestHost();
        var master = await MasterOf(host.Aria, Demo.Alice);
        Assert.True((await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, AssignmentDirective = 1 })).IsSuccess);
        Assert.Equal(Demo.Standard, host.Sandbox.PlanInstances(Demo.Alice).First(p => p.PlanInstanceNo == master).PlanNo);

        host.Time.Advance(TimeSpan.FromDays(21)); // 2026-12-01
        var plans = (await host.Aria.GetAcctPlansAsync(new() { AcctNo = Demo.Alice })).Value!;
        Assert.Equal(Demo.Premium, plans.AcctPlansM!.First(p => p.PlanInstanceNo == master).PlanNo);
        Assert.Equal("2027-01-01", plans.AcctPlansM!.First(p => p.PlanInstanceNo == master).NextBillDate);
    }

    [Fact]
    public async Task Session_expires_after_the_clients_minutes_on_the_shared_fake_clock()
    {
        using var host = new AriaTestHost();
        var session = (await host.Aria.SetSessionAuthAsync(new() { UserId = "erin", Password = "erin-demo-1" })).Value!.SessionId;
        host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(Demo.Erin, (await host.Aria.ValidateSessionAsync(new() { SessionId = session })).Value!.AccountNo);
        host.Time.Advance(TimeSpan.FromMinutes(2));
        var expired = await host.Aria.ValidateSessionAsync(new() { SessionId = session });
        Assert.True(expired.Error!.IsSessionInvalid);
        Assert.Equal(1011, expired.Error.Code);
    }

    [Fact]
    public async Task Wrong_password_is_refused_and_set_session_m_needs_no_password()
    {
        using var host = new AriaTestHost();
        var wrong = await host.Aria.SetSessionAuthAsync(new() { UserId = "alice", Password = "not-her-password" });
        Assert.True(wrong.Error!.Is(AriaErrorCode.LoginFailed));
        var unknown = await host.Aria.GetAcctNoFromUserIdAsync(new() { UserId = "nobody" });
        Assert.True(unknown.Error!.Is(AriaErrorCode.AccountNotFound));
    }

    [Fact]
    public async Task A_receipt_id_is_consumed_by_the_committed_write_and_reuse_gives_1099()
    {
        using var host = new AriaTestHost();
        var first = await host.Aria.CollectFromAccountAsync(new() { AcctNo = Demo.Bob, AmountToCollect = 5m, ClientReceiptId = "pay-bob-1" });
        Assert.True(first.IsSuccess);
        var again = await host.Aria.CollectFromAccountAsync(new() { AcctNo = Demo.Bob, AmountToCollect = 5m, ClientReceiptId = "pay-bob-1" });
        Assert.True(again.Error!.IsReceiptAlreadyUsed);
        Assert.Equal(1099, again.Error.Code);
        Assert.Single(host.Sandbox.Payments(Demo.Bob), p => p.ClientReceiptId == "pay-bob-1");
    }

    [Fact]
    public async Task Declining_card_gives_4011_with_processor_detail_and_changes_nothing()
    {
        using var host = new AriaTestHost();
        var balance = host.Sandbox.Account(Demo.Carol).Balance;
        var declined = await host.Aria.SettleAccountBalanceAsync(new() { AcctNo = Demo.Carol, ClientReceiptId = "carol-1" });
        Assert.True(declined.Error!.IsDeclined);
        Assert.Equal(4011, declined.Error.Code);
        Assert.Equal(balance, host.Sandbox.Account(Demo.Carol).Balance);

        var oneTime = await host.Aria.CollectFromAccountAsync(new() { AcctNo = Demo.Bob, AmountToCollect = 5m, AltPayMethod = 1, CcNumber = "4000000000009995", CcExpireMm = 1, CcExpireYyyy = 2031 });
        Assert.True(oneTime.Error!.Is(AriaErrorCode.CollectionFailed));
    }

    [Fact]
    public async Task Zero_balance_gives_4003_and_a_blocked_status_gives_1049()
    {
        using var host = new AriaTestHost();
        Assert.True((await host.Aria.SettleAccountBalanceAsync(new() { AcctNo = Demo.Alice })).Error!.Is(AriaErrorCode.ZeroBalance));
        var master = await MasterOf(host.Aria, Demo.Dave);
        Assert.True((await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Dave, PlanInstanceNo = master, NewPlanNo = Demo.Standard, DoWrite = false })).Error!.Is(AriaErrorCode.StatusBlocksChange));
        Assert.True((await host.Aria.CancelAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = 42 })).Error!.Is(AriaErrorCode.InvalidPlanInstanceNo));
    }

    [Fact]
    public async Task Hidden_plans_are_flagged_with_display_ind_0()
    {
        using var host = new AriaTestHost();
        var catalog = (await host.Aria.GetClientPlansBasicAsync(new())).Value!.PlanDetails!;
        Assert.Equal(0, catalog.Single(p => p.ClientPlanId == "DEFAULT_MASTER").DisplayInd);
        Assert.Equal(1, catalog.Single(p => p.ClientPlanId == "PREMIUM").DisplayInd);
        var graceMaster = await MasterOf(host.Aria, Demo.Grace);
        var plans = (await host.Aria.GetAcctPlansAsync(new() { AcctNo = Demo.Grace })).Value!.AcctPlansM!;
        Assert.Equal(0, plans.Single(p => p.PlanInstanceNo == graceMaster).DisplayInd);
    }

    [Fact]
    public async Task Card_number_is_validated_and_only_the_last_four_digits_are_kept()
    {
        using var host = new AriaTestHost();
        var bad = await host.Aria.UpdatePaymentMethodAsync(new() { AcctNo = Demo.Grace, PayMethodType = 1, CcNum = "4111111111111112", CcExpireMm = 1, CcExpireYyyy = 2031 });
        Assert.True(bad.Error!.Is(AriaErrorCode.InvalidCardNumber));
        var expired = await host.Aria.UpdatePaymentMethodAsync(new() { AcctNo = Demo.Grace, PayMethodType = 1, CcNum = "4111111111111111", CcExpireMm = 1, CcExpireYyyy = 2020 });
        Assert.True(expired.Error!.Is(AriaErrorCode.InvalidExpiry));
        Assert.True((await host.Aria.UpdatePaymentMethodAsync(new() { AcctNo = Demo.Grace, PayMethodType = 1, CcNum = "4111111111111111", CcExpireMm = 1, CcExpireYyyy = 2031 })).IsSuccess);
        var method = (await host.Aria.GetAcctPaymentMethodsAndTermsAsync(new() { AcctNo = Demo.Grace })).Value!.AccountPaymentMethods!.Single();
        Assert.Equal("1111", method.Suffix);
        Assert.DoesNotContain(host.Recorder.Exchanges.Where(e => e.RequestBody.Contains("get_acct", StringComparison.Ordinal)), e => e.ResponseBody.Contains("4111111111111111", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_input_gets_an_aria_error_never_a_crash()
    {
        using var host = new AriaTestHost(AriaTransport.Json);
        var handler = host.Services.GetService(typeof(Aria.Sandbox.Hosting.AriaSandboxHttpHandler)) as HttpMessageHandler;
        using var http = new HttpClient(handler!);
        var garbage = await http.PostAsync(new Uri("http://localhost/aria-sandbox/v1/core"), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("\"error_code\":1016", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badBool = await http.PostAsync(new Uri("http://localhost/aria-sandbox/v1/core"), new StringContent(
            $$"""{"rest_call":"cancel_acct_plan_m","client_no":7000100,"auth_key":"{{AriaTestHost.AuthKey}}","acct_no":1000001,"plan_instance_no":1,"do_write":"yes"}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("\"error_code\":1033", await badBool.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await host.Aria.GetAcctDetailsAllAsync(new() { AcctNo = 999 });
        Assert.True(unknown.Error!.Is(AriaErrorCode.AccountNotFound));
    }

    [Fact]
    public void Client_request_fields_have_Arias_names_and_types()
    {
        var schema = SwaggerSchema.Load;
        var requestTypes = typeof(AriaRequest).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(AriaRequest)) && !t.IsAbstract).ToList();
        Assert.Equal(schema.Calls.Count, requestTypes.Count);
        var problems = new List<string>();
        foreach (var type in requestTypes)
        {
            var restCall = ((AriaRequest)Activator.CreateInstance(type)!).RestCall;
            Check(type, schema.RequestDefinition(restCall));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        void Check(Type type, string definition)
        {
            foreach (var property in type.GetProperties())
            {
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
                if (name is null)
                {
                    continue;
                }

                var declared = schema.Property(definition, name);
                if (declared is null)
                {
                    problems.Add($"{type.Name}.{property.Name}: Aria's {definition} has no field {name}");
                    continue;
                }

                var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var usesConverter = property.GetCustomAttribute<JsonConverterAttribute>() is not null;
                var wire = usesConverter || clr == typeof(string) ? "string"
                    : clr == typeof(long) || clr == typeof(int) ? "integer"
                    : clr == typeof(decimal) ? "number"
                    : clr.IsGenericType ? "array" : "?";
                if (declared["type"]?.GetValue<string>() != wire)
                {
                    problems.Add($"{type.Name}.{property.Name}: Aria declares {declared["type"]}, the client sends {wire}");
                }

                if (wire == "array")
                {
                    Check(clr.GetGenericArguments()[0], SwaggerSchema.Ref(declared["items"]!));
                }
            }
        }
    }
}
