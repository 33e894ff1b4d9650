using AriaBot.Account.Contacts;
using AriaBot.Changes;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Account;

/// <summary>
/// A contact update whose reply was lost is settled by reading the contact back: the new value proves it, the old value
/// disproves it, and anything else proves nothing (never "done" on a guess).
/// </summary>
public sealed class UpdateContactReconcilerTests : IAsyncLifetime
{
    private const long Bob = 1000002;
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ReconciledOutcome> SettleAsync(ContactExpectation expected) =>
        _host.Services.GetServices<IWriteReconciler>().Single(reconciler => reconciler.Kind == UpdateContactChange.ChangeKind)
            .ReconcileAsync(new WriteIntent
            {
                Id = "ab-test",
                Kind = UpdateContactChange.ChangeKind,
                AccountNo = Bob,
                ConversationKey = "webchat/convo1",
                CreatedAt = _host.Time.GetUtcNow(),
                Expectation = expected.ToJson(),
            }, CancellationToken.None);

    [Fact]
    public async Task The_new_value_on_file_is_committed_the_old_one_not_applied_and_another_unknown()
    {
        var billingGroup = _host.Sandbox.Account(Bob).BillingGroups[0].BillingGroupNo;
        Assert.Equal(ReconciledOutcome.NotApplied, await SettleAsync(new(ContactKind.Billing, ContactField.PostalCode, billingGroup, "73301", "10001")));

        _host.Sandbox.Account(Bob).BillingGroups[0].BillingContact.PostalCd = "10001";
        Assert.Equal(ReconciledOutcome.Committed, await SettleAsync(new(ContactKind.Billing, ContactField.PostalCode, billingGroup, "73301", "10001")));

        _host.Sandbox.Account(Bob).BillingGroups[0].BillingContact.PostalCd = "99999";
        Assert.Equal(ReconciledOutcome.Unknown, await SettleAsync(new(ContactKind.Billing, ContactField.PostalCode, billingGroup, "73301", "10001")));
    }

    [Fact]
    public async Task Aria_unavailable_proves_nothing()
    {
        _host.Sandbox.Faults.HttpStatusNext("get_acct_contacts_m", 503, count: 5);
        Assert.Equal(ReconciledOutcome.Unknown, await SettleAsync(new(ContactKind.Account, ContactField.Phone, null, "+1 512 555 0102", "+15125550199")));
    }
}
