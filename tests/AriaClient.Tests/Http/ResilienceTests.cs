using Aria.Client;
using Aria.Client.Models;
using AriaClient.Tests.Contract;
using AriaClient.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AriaClient.Tests.Http;

/// <summary>Retries only where a repeat is safe; the circuit opens and closes; transport failures are results.</summary>
public sealed class ResilienceTests
{
    private static int Exchanges(AriaTestHost host, string restCall) =>
        host.Recorder.Exchanges.Count(e => EveryCallContractTests.RestCallOf(e) == restCall);

    [Fact]
    public async Task A_read_is_retried_after_a_503()
    {
        using var host = new AriaTestHost();
        host.Sandbox.Faults.HttpStatusNext("get_acct_details_all_m", 503);
        var result = await host.Aria.GetAcctDetailsAllAsync(new() { AcctNo = Demo.Alice });
        Assert.True(result.IsSuccess);
        Assert.Equal(2, Exchanges(host, "get_acct_details_all_m"));
    }

    [Fact]
    public async Task A_read_is_retried_after_an_attempt_timeout()
    {
        using var host = new AriaTestHost(settings: new Dictionary<string, string?> { ["Aria:AttemptTimeout"] = "00:00:01" });
        Assert.True((await host.Aria.GetClientPlansBasicAsync(new())).IsSuccess); // warm up (seed, JIT) so only the fault is slow
        host.Sandbox.Faults.TimeoutNext("get_acct_plans_m");
        var result = await host.Aria.GetAcctPlansAsync(new() { AcctNo = Demo.Alice });
        Assert.True(result.IsSuccess);
        Assert.Empty(host.Sandbox.Faults.Pending);
        Assert.Equal(1, host.Sandbox.Calls.Count("get_acct_plans_m", Demo.Alice));
    }

    [Fact]
    public async Task A_write_without_receipt_id_is_never_retried()
    {
        using var host = new AriaTestHost();
        host.Sandbox.Faults.HttpStatusNext("update_contact_m", 503, count: 3);
        var result = await host.Aria.UpdateContactAsync(new() { AcctNo = Demo.Alice, ContactInd = 1, City = "Salem" });
        Assert.True(result.Error!.IsUnavailable);
        Assert.True(result.Error.OutcomeUnknown);
        Assert.Equal(1, Exchanges(host, "update_contact_m"));

        host.Sandbox.Faults.Clear();
        var master = host.Sandbox.PlanInstances(Demo.Alice).First().PlanInstanceNo;
        host.Sandbox.Faults.HttpStatusNext("replace_acct_plan_m", 503, count: 3);
        var write = await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = true });
        Assert.True(write.Error!.IsUnavailable);
        Assert.Equal(1, Exchanges(host, "replace_acct_plan_m"));
    }

    [Fact]
    public async Task A_preview_and_a_write_with_receipt_id_are_retried()
    {
        using var host = new AriaTestHost();
        var master = host.Sandbox.PlanInstances(Demo.Alice).First().PlanInstanceNo;
        host.Sandbox.Faults.HttpStatusNext("replace_acct_plan_m", 503);
        Assert.True((await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = false })).IsSuccess);
        host.Sandbox.Faults.HttpStatusNext("replace_acct_plan_m", 503);
        Assert.True((await host.Aria.ReplaceAcctPlanAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master, NewPlanNo = Demo.Premium, DoWrite = true, ClientReceiptId = "retry-ok" })).IsSuccess);
        Assert.Equal(4, Exchanges(host, "replace_acct_plan_m"));
    }

    [Fact]
    public async Task A_lost_reply_of_a_write_with_receipt_id_is_retried_and_refused_as_already_used()
    {
        using var host = new AriaTestHost();
        host.Sandbox.Faults.LoseResponseNext("collect_from_account_m");
        var result = await host.Aria.CollectFromAccountAsync(new() { AcctNo = Demo.Bob, AmountToCollect = 7m, ClientReceiptId = "lost-1" });
        Assert.True(result.Error!.LikelyCommittedByEarlierAttempt);
        Assert.Single(host.Sandbox.Payments(Demo.Bob), p => p.ClientReceiptId == "lost-1");
    }

    [Fact]
    public async Task A_lost_reply_of_a_write_without_receipt_id_is_reported_as_unknown_outcome()
    {
        using var host = new AriaTestHost();
        host.Sandbox.Faults.LoseResponseNext("update_contact_m");
        var result = await host.Aria.UpdateContactAsync(new() { AcctNo = Demo.Alice, ContactInd = 1, City = "Salem" });
        Assert.Equal(AriaUnavailableReason.NetworkError, result.Error!.UnavailableReason);
        Assert.True(result.Error.OutcomeUnknown);
        Assert.Equal("Salem", host.Sandbox.Account(Demo.Alice).AccountContact.City);
        Assert.Equal(1, host.Sandbox.Calls.Count("update_contact_m"));
    }

    [Fact]
    public async Task The_circuit_opens_after_failures_and_closes_after_the_break()
    {
        var clock = new FakeTimeProvider(AriaTestHost.DefaultStart);
        using var host = new AriaTestHost(
            settings: new Dictionary<string, string?>
            {
                ["Aria:MaxRetryAttempts"] = "0",
                ["Aria:CircuitMinimumThroughput"] = "2",
                ["Aria:CircuitFailureRatio"] = "0.5",
                ["Aria:CircuitBreakDuration"] = "00:00:05",
            },
            configure: s => s.AddKeyedSingleton<TimeProvider>(AriaClientDefaults.ResilienceTimeProviderKey, clock));
        host.Sandbox.Faults.HttpStatusNext("get_client_items_all_m", 503, count: 2);
        Assert.True((await host.Aria.GetClientItemsAllAsync(new())).Error!.IsUnavailable);
        Assert.True((await host.Aria.GetClientItemsAllAsync(new())).Error!.IsUnavailable);

        var refused = await host.Aria.GetClientItemsAllAsync(new());
        Assert.Equal(AriaUnavailableReason.CircuitOpen, refused.Error!.UnavailableReason);
        Assert.Equal(2, Exchanges(host, "get_client_items_all_m"));
        var refusedWrite = await host.Aria.UpdateContactAsync(new() { AcctNo = Demo.Alice, ContactInd = 1, City = "Salem" });
        Assert.Equal(AriaUnavailableReason.CircuitOpen, refusedWrite.Error!.UnavailableReason);
        Assert.False(refusedWrite.Error.OutcomeUnknown); // refused before sending: nothing reached Aria
        Assert.Equal(0, host.Sandbox.Calls.Count("update_contact_m"));

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await host.Aria.GetClientItemsAllAsync(new())).IsSuccess);
        Assert.True((await host.Aria.GetClientItemsAllAsync(new())).IsSuccess);
        Assert.Equal(4, Exchanges(host, "get_client_items_all_m"));
    }

    [Fact]
    public async Task An_injected_error_code_arrives_as_a_typed_error()
    {
        using var host = new AriaTestHost();
        host.Sandbox.Faults.FailNext("validate_session_m", 1011);
        var result = await host.Aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = "anything" });
        Assert.Equal(AriaErrorKind.Aria, result.Error!.Kind);
        Assert.Equal(AriaErrorCode.InvalidSession, result.Error.KnownCode);
    }
}
