using System.Globalization;
using System.Xml.Linq;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Events;

/// <summary>
/// Writes an event as Aria's XML document (reference §13: <c>&lt;apf2doc&gt;</c>, <c>&lt;request&gt;</c>,
/// the class's data, <c>&lt;event_data&gt;</c>) or as name-value pairs: the same leaves in the same order,
/// repeated names for repeated groups. Leaf names are unique within a document so the pairs stay
/// unambiguous. Versions are the sandbox's choice among those §13 names.
/// </summary>
internal static class EventDocument
{
    public const string AccountVersion = "3.8";
    public const string TransactionVersion = "3.1";

    public static XElement Build(SandboxState state, SandboxClient client, RawEvent e, long transactionId, string? clientReceiptId)
    {
        var account = state.AccountByNo(e.AcctNo);
        var request = new XElement("request",
            Leaf("version", e.Class == 'A' ? AccountVersion : TransactionVersion),
            Leaf("sender", "A"),
            Leaf("transaction_id", transactionId),
            Leaf("action", e.Action.ToString()),
            Leaf("class", e.Class.ToString()),
            Leaf("auth_key", client.AuthKey),
            clientReceiptId is null ? null : Leaf("client_receipt_id", clientReceiptId));
        var data = e.Class == 'A' ? AccountData(state, client, account) : TransactionData(client, account, e);
        var events = new XElement("event_data", new XElement("event", Leaf("event_id", e.EventId), Leaf("event_label", e.Label)));
        return new XElement("apf2doc", request, data, events);
    }

    public static string Xml(XElement document) =>
        new XDocument(new XDeclaration("1.0", "utf-8", null), document).Declaration + document.ToString(SaveOptions.DisableFormatting);

    /// <summary>The leaves in document order: <c>version=…&amp;sender=A&amp;…&amp;event_id=…&amp;event_label=…</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(XElement document) =>
        document.Descendants().Where(d => !d.HasElements).Select(d => new KeyValuePair<string, string>(d.Name.LocalName, d.Value));

    private static XElement AccountData(SandboxState state, SandboxClient client, Account account) =>
        new("account",
            Leaf("client_no", client.ClientNo),
            Leaf("acct_no", account.AcctNo),
            Leaf("client_acct_id", account.ClientAcctId),
            Leaf("userid", account.UserId),
            Leaf("status_cd", account.StatusCd),
            new XElement("master_plan_instances", state.InstancesOf(account.AcctNo).Where(p => p.IsMaster).Select(p => new XElement("master_plan_instance",
                Leaf("master_plan_instance_no", p.PlanInstanceNo),
                Leaf("client_master_plan_instance_id", p.ClientPlanInstanceId),
                Leaf("plan_no", p.PlanNo),
                Leaf("client_plan_id", state.PlanByNo(p.PlanNo).ClientPlanId),
                Leaf("plan_name", state.PlanByNo(p.PlanNo).Name),
                Leaf("master_plan_instance_status_cd", p.StatusCd),
                Leaf("master_plan_units", p.Units),
                Leaf("next_bill_date", p.NextBillDate)))));

    private static XElement TransactionData(SandboxClient client, Account account, RawEvent e)
    {
        var transaction = new XElement("transaction", Leaf("client_no", client.ClientNo), Leaf("acct_no", account.AcctNo), Leaf("userid", account.UserId));
        if (e.Invoice is { } invoice)
        {
            transaction.Add(Leaf("transaction_type", 1), Leaf("invoice_no", invoice.InvoiceNo), Leaf("amount", invoice.Total),
                Leaf("currency_cd", invoice.Currency), Leaf("transaction_date", invoice.BillDate));
        }
        else if (e.Payment is { } payment)
        {
            transaction.Add(Leaf("transaction_type", 3), Leaf("fin_transaction_id", payment.TransactionId), Leaf("amount", payment.Amount),
                Leaf("currency_cd", payment.Currency), Leaf("transaction_date", payment.CreateDate), Leaf("payment_method_no", payment.PaymentMethodNo));
        }
        else if (e.Failure is { } failure)
        {
            transaction.Add(Leaf("transaction_type", 3), Leaf("invoice_no", failure.InvoiceNo), Leaf("amount", failure.Amount),
                Leaf("currency_cd", failure.Currency), Leaf("transaction_date", failure.Date), Leaf("payment_method_no", failure.PaymentMethodNo),
                Leaf("proc_status_code", failure.ProcStatusCode), Leaf("proc_status_text", failure.ProcStatusText));
        }

        return new XElement("financial_transactions", transaction);
    }

    private static XElement? Leaf(string name, object? value) => value switch
    {
        null => null,
        DateOnly d => new XElement(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        decimal m => new XElement(name, m.ToString("0.00##", CultureInfo.InvariantCulture)),
        IFormattable f => new XElement(name, f.ToString(null, CultureInfo.InvariantCulture)),
        _ => new XElement(name, value.ToString()),
    };
}
