using Aria.Sandbox.Calls;
using Aria.Sandbox.Events;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Billing;

/// <summary>
/// With <c>Aria:SandboxEvents:AutomaticCollection</c> on: each invoice billed while time passes is
/// collected on its bill date from its billing group's primary payment method, as the simulated
/// processor answers (the decline test cards refuse). Off by default, so the demo balances stay as
/// the seed documents them. How Aria retries a declined collection (dunning) is not simulated.
/// </summary>
internal static class AutomaticCollection
{
    /// <summary>Collects the invoices not in <paramref name="billedBefore"/>; returns the refused collections.</summary>
    public static List<RawEvent> Run(SandboxState state, IReadOnlySet<long> billedBefore)
    {
        var failures = new List<RawEvent>();
        foreach (var invoice in state.Invoices.Where(i => !billedBefore.Contains(i.InvoiceNo)).OrderBy(i => i.BillDate).ThenBy(i => i.InvoiceNo).ToList())
        {
            var account = state.AccountByNo(invoice.AcctNo);
            var amount = Math.Min(invoice.Total - invoice.PaidAmount, account.Balance);
            if (amount <= 0)
            {
                continue;
            }

            var groupNo = state.PlanInstances.FirstOrDefault(p => p.PlanInstanceNo == invoice.MasterPlanInstanceNo)?.BillingGroupNo;
            var group = account.BillingGroups.FirstOrDefault(g => g.BillingGroupNo == groupNo) ?? account.BillingGroups.FirstOrDefault();
            var method = account.PaymentMethods.FirstOrDefault(m => m.PaymentMethodNo == group?.PrimaryPaymentMethodNo && !m.Disabled);
            var decline = method is null ? (0L, "no payment method", "NPM", "No primary payment method") : PaymentCalls.Decline(method.Behaviour);
            if (decline is null)
            {
                Ledger.Pay(state, account, amount, method, null, null, invoice.BillDate);
                continue;
            }

            failures.Add(new RawEvent(account.AcctNo, 'T', 'A', EventCatalog.PaymentFailed.Id, EventCatalog.PaymentFailed.Label)
            {
                Failure = new FailedCollection(invoice.InvoiceNo, amount, invoice.Currency, invoice.BillDate, method?.PaymentMethodNo, decline.Value.ProcCode, decline.Value.ProcText),
            });
        }

        return failures;
    }
}
