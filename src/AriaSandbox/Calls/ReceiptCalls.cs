using System.Globalization;
using System.Text.Json.Nodes;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>
/// The receipt look-ups: which <c>client_receipt_id</c>s an account's writes carried, and what was done under one.
/// Answered from the ledger's payments and the orders, the writes whose receipt id the sandbox keeps per account
/// (plan changes only mark a receipt id used). Unverified against Aria: which writes Aria lists here, the action
/// labels (the sandbox's "Electronic Payment" / "Transaction ID" / "Amount" / "Order No" are its own), and that an
/// unknown receipt id gives 1002 rather than an empty list.
/// </summary>
internal static class ReceiptCalls
{
    public static JsonObject GetAllAcctReceiptIds(CallContext ctx)
    {
        var account = ctx.Account();
        var (from, to) = (ctx.Input.Date("start_date_range"), ctx.Input.Date("end_date_range"));
        var receipts = Receipts(ctx.State, account.AcctNo)
            .Where(r => (from is null || r.Date >= from) && (to is null || r.Date <= to))
            .GroupBy(r => r.ReceiptId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(r => r.Date).First())
            .OrderBy(r => r.Date).ThenBy(r => r.ReceiptId, StringComparer.Ordinal);
        return CallContext.Ok().Put("acct_receipt", Json.Array(receipts, r => new JsonObject()
            .Put("client_receipt_id", r.ReceiptId)
            .Put("receipt_date", CallContext.Date(r.Date))));
    }

    public static JsonObject GetAllActionsByReceiptId(CallContext ctx)
    {
        var account = ctx.Account();
        var receipt = ctx.Input.NonEmpty("client_receipt_id") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: client_receipt_id");
        var payments = ctx.State.Transactions.Where(t => t.AcctNo == account.AcctNo && t.Type == 3 && t.ClientReceiptId == receipt).ToList();
        var orders = ctx.State.Orders.Where(o => o.AcctNo == account.AcctNo && o.ClientReceiptId == receipt).ToList();
        if (payments.Count == 0 && orders.Count == 0)
        {
            throw new AriaFault(AriaCodes.NoDataFound, $"no actions found for client_receipt_id {receipt}");
        }

        var actions = new JsonArray();
        foreach (var payment in payments)
        {
            actions.Add(new JsonObject()
                .Put("action_type_id", 3)
                .Put("action_type_label", "Electronic Payment")
                .Put("action_type_desc", payment.Description)
                .Put("action_rec_id_label", "Transaction ID")
                .Put("action_rec_id_val", payment.TransactionId.ToString(CultureInfo.InvariantCulture))
                .Put("action_date", CallContext.Date(payment.CreateDate))
                .Put("action_user", "API")
                .Put("action_qualifier_1_label", "Amount")
                .Put("action_qualifier_1_val", payment.Amount.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var order in orders)
        {
            actions.Add(new JsonObject()
                .Put("action_type_id", 41)
                .Put("action_type_label", "Order")
                .Put("action_rec_id_label", "Order No")
                .Put("action_rec_id_val", order.OrderNo.ToString(CultureInfo.InvariantCulture))
                .Put("action_date", CallContext.Date(order.CreateDate))
                .Put("action_user", "API"));
        }

        return CallContext.Ok().Put("receipt_action", actions);
    }

    private static IEnumerable<(string ReceiptId, DateOnly Date)> Receipts(SandboxState state, long acctNo) =>
        state.Transactions.Where(t => t.AcctNo == acctNo && t.ClientReceiptId is not null).Select(t => (t.ClientReceiptId!, t.CreateDate))
            .Concat(state.Orders.Where(o => o.AcctNo == acctNo && o.ClientReceiptId is not null).Select(o => (o.ClientReceiptId!, o.CreateDate)));
}
