using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>Statements, transactions, invoices, payments and orders, all read from the ledger.</summary>
internal static class HistoryCalls
{
    public static JsonObject GetStatementHistory(CallContext ctx)
    {
        var account = ctx.Account(allowUserId: true);
        var (from, to) = (ctx.Input.Date("start_date"), ctx.Input.Date("end_date"));
        var statements = ctx.State.Statements
            .Where(s => s.AcctNo == account.AcctNo && (from is null || s.CreateDate >= from) && (to is null || s.CreateDate <= to))
            .OrderByDescending(s => s.CreateDate).ThenByDescending(s => s.StatementNo);
        return CallContext.Ok().Put("statements_history", Json.Array(statements, s =>
        {
            var invoice = ctx.State.Invoices.First(i => i.InvoiceNo == s.InvoiceNo);
            return new JsonObject()
                .Put("statement_no", s.StatementNo)
                .Put("create_date", CallContext.Date(s.CreateDate))
                .Put("currency_cd", account.Currency)
                .Put("due_date", CallContext.Date(s.DueDate))
                .Put("new_charges_amount", s.NewCharges)
                .Put("new_payments_amount", s.NewPayments)
                .Put("balance_forward_amount", s.BalanceForward)
                .Put("total_amount", s.Total)
                .Put("is_paid_ind", invoice.PaidAmount >= invoice.Total ? 1 : 0)
                .Put("invoice_no", s.InvoiceNo);
        }));
    }

    public static JsonObject GetStatementForInvoice(CallContext ctx)
    {
        var invoiceNo = ctx.Input.Long("invoice_no") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: invoice_no");
        var invoice = ctx.State.Invoices.FirstOrDefault(i => i.InvoiceNo == invoiceNo);
        if (ctx.Input.Has("acct_no") || ctx.Input.Has("client_acct_id"))
        {
            var account = ctx.Account();
            if (invoice is not null && invoice.AcctNo != account.AcctNo)
            {
                invoice = null;
            }
        }

        if (invoice is null)
        {
            throw new AriaFault(1002, "no data found for this invoice");
        }

        ctx.AcctNo = invoice.AcctNo;
        var html = Render(ctx.State, invoice);
        // do_encoding=true is taken to mean base64 (unverified against Aria); the statement is simple HTML.
        var encode = ctx.Input.Bool("do_encoding", defaultValue: false);
        return CallContext.Ok()
            .Put("out_statement", encode ? Convert.ToBase64String(Encoding.UTF8.GetBytes(html)) : html)
            .Put("mime_type", "text/html");
    }

    private static string Render(SandboxState state, Invoice invoice)
    {
        var account = state.AccountByNo(invoice.AcctNo);
        var statement = state.Statements.First(s => s.StatementNo == invoice.StatementNo);
        var html = new StringBuilder();
        html.Append("<html><body><h1>Statement ").Append(statement.StatementNo).Append("</h1>");
        html.Append("<p>").Append(WebUtility.HtmlEncode($"{account.AccountContact.FirstName} {account.AccountContact.LastName}")).Append(" — account ").Append(account.AcctNo).Append("</p>");
        html.Append("<p>Invoice ").Append(invoice.InvoiceNo).Append(", billed ").Append(CallContext.Date(invoice.BillDate)).Append(", due ").Append(CallContext.Date(statement.DueDate)).Append("</p><table>");
        foreach (var line in invoice.Lines)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(line.Description)).Append("</td><td>")
                .Append(line.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</table><p>Total ").Append(invoice.Total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append(' ')
            .Append(account.Currency.ToUpperInvariant()).Append("</p></body></html>");
        return html.ToString();
    }

    public static JsonObject GetTransHistory(CallContext ctx)
    {
        var account = ctx.Account("account_no");
        var type = ctx.Input.Long("transaction_type");
        var (from, to) = (ctx.Input.Date("start_date"), ctx.Input.Date("end_date"));
        var limit = Math.Clamp(ctx.Input.Long("record_limit") ?? 99, 1, 999);
        var rows = ctx.State.Transactions
            .Where(t => t.AcctNo == account.AcctNo && (type is null || t.Type == type) && (from is null || t.CreateDate >= from) && (to is null || t.CreateDate <= to))
            .OrderByDescending(t => t.CreateDate).ThenByDescending(t => t.TransactionId)
            .Take((int)limit);
        return CallContext.Ok().Put("history", Json.Array(rows, t => new JsonObject()
            .Put("transaction_id", t.TransactionId)
            .Put("transaction_type", t.Type)
            .Put("transaction_desc", t.Description)
            .Put("transaction_amount", t.Amount)
            .Put("transaction_applied_amount", t.AppliedAmount)
            .Put("transaction_currency", t.Currency)
            .Put("transaction_create_date", CallContext.Date(t.CreateDate))
            .Put("statement_no", t.StatementNo)
            .Put("client_receipt_id", t.ClientReceiptId)
            .Put("invoice_no", t.InvoiceNo)));
    }

    public static JsonObject GetInvoiceHistory(CallContext ctx)
    {
        var account = ctx.Account(allowUserId: true);
        var (from, to) = (ctx.Input.Date("start_bill_date"), ctx.Input.Date("end_bill_date"));
        var invoices = ctx.State.Invoices
            .Where(i => i.AcctNo == account.AcctNo && (from is null || i.BillDate >= from) && (to is null || i.BillDate <= to))
            .OrderByDescending(i => i.BillDate).ThenByDescending(i => i.InvoiceNo);
        return CallContext.Ok().Put("invoice_hist", Json.Array(invoices, i =>
        {
            var master = i.MasterPlanInstanceNo is { } m ? ctx.State.PlanInstances.FirstOrDefault(p => p.PlanInstanceNo == m) : null;
            var plan = master is null ? null : ctx.State.PlanByNo(master.PlanNo);
            return new JsonObject()
                .Put("invoice_no", i.InvoiceNo)
                .Put("outacct_no", i.AcctNo)
                .Put("billing_group_no", master?.BillingGroupNo)
                .Put("master_plan_no", plan?.PlanNo)
                .Put("master_plan_name", plan?.Name)
                .Put("client_master_plan_id", plan?.ClientPlanId)
                .Put("currency_cd", i.Currency)
                .Put("bill_date", CallContext.Date(i.BillDate))
                .Put("paid_date", CallContext.Date(i.PaidDate))
                .Put("amount", i.Charges)
                .Put("credit", i.Credits)
                .Put("recurring_bill_from", CallContext.Date(i.From))
                .Put("recurring_bill_thru", CallContext.Date(i.Thru))
                .Put("is_voided_ind", 0);
        }));
    }

    /// <summary>The lines of one invoice of the account (1002 when the invoice is not the account's, as for the statement).</summary>
    public static JsonObject GetInvoiceDetails(CallContext ctx)
    {
        var account = ctx.Account();
        var invoiceNo = ctx.Input.Long("invoice_no") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: invoice_no");
        var invoice = ctx.State.Invoices.FirstOrDefault(i => i.InvoiceNo == invoiceNo && i.AcctNo == account.AcctNo)
            ?? throw new AriaFault(1002, "no data found for this invoice");
        return CallContext.Ok()
            .Put("from_date", CallContext.Date(invoice.From))
            .Put("to_date", CallContext.Date(invoice.Thru))
            .Put("invoice_line_details", Json.Array(invoice.Lines, l => new JsonObject()
                .Put("line_no", l.LineNo)
                .Put("service_no", l.ServiceNo)
                .Put("service_name", l.ServiceName)
                .Put("units", l.Units)
                .Put("rate_per_unit", l.RatePerUnit)
                .Put("amount", l.Amount)
                .Put("description", l.Description)
                .Put("date_range_start", CallContext.Date(l.From))
                .Put("date_range_end", CallContext.Date(l.Thru))
                .Put("plan_no", l.PlanNo)
                .Put("plan_name", l.PlanName)
                .Put("client_plan_id", l.ClientPlanId)
                .Put("client_sku", l.ClientSku)
                .Put("proration_factor", l.ProrationFactor)));
    }

    public static JsonObject GetPaymentHistory(CallContext ctx)
    {
        var account = ctx.Account();
        var (from, to) = (ctx.Input.Date("start_date"), ctx.Input.Date("end_date"));
        var limit = ctx.Input.Long("limit_records") ?? 999;
        var payments = ctx.State.Transactions
            .Where(t => t.AcctNo == account.AcctNo && t.Type == 3 && (from is null || t.CreateDate >= from) && (to is null || t.CreateDate <= to))
            .OrderByDescending(t => t.CreateDate).ThenByDescending(t => t.TransactionId)
            .Take((int)Math.Clamp(limit, 1, 999));
        return CallContext.Ok().Put("acct_payment_history", Json.Array(payments, t => new JsonObject()
            .Put("transaction_id", t.TransactionId)
            .Put("payment_source", t.PayMethodType == 2 ? "Electronic Check" : "Credit Card")
            .Put("payment_status", "Approved")
            .Put("payment_date", CallContext.Date(t.CreateDate))
            .Put("payment_trans_type", 3)
            .Put("payment_currency", t.Currency)
            .Put("payment_amount", t.Amount)
            .Put("payment_amount_left_to_apply", t.Amount - t.AppliedAmount)
            .Put("cc_suffix", t.CardSuffix)
            .Put("pay_method_type", t.PayMethodType)
            .Put("payment_method_no", t.PaymentMethodNo)));
    }

    public static JsonObject GetOrder(CallContext ctx)
    {
        var account = ctx.Account();
        var orderNo = ctx.Input.Long("order_no");
        var clientOrderId = ctx.Input.NonEmpty("client_order_id");
        var details = ctx.Input.Long("details_flag") == 1;
        var limit = ctx.Input.Long("limit_records");
        var orders = ctx.State.Orders
            .Where(o => o.AcctNo == account.AcctNo && (orderNo is null || o.OrderNo == orderNo) && (clientOrderId is null || o.ClientOrderId == clientOrderId))
            .OrderByDescending(o => o.CreateDate).ThenByDescending(o => o.OrderNo)
            .Take((int)Math.Clamp(limit ?? 999, 1, 999));
        return CallContext.Ok().Put("orders", Json.Array(orders, o =>
        {
            var row = new JsonObject()
                .Put("order_no", o.OrderNo)
                .Put("amount", o.Amount)
                .Put("currency_cd", account.Currency)
                .Put("status_label", o.StatusLabel)
                .Put("client_plan_instance_id", o.ClientPlanInstanceId)
                .Put("invoice_no", o.InvoiceNo)
                .Put("create_date", CallContext.Date(o.CreateDate))
                .Put("update_date", CallContext.Date(o.UpdateDate))
                .Put("comments", o.Comments)
                .Put("client_order_id", o.ClientOrderId)
                .Put("transaction_id", o.TransactionId)
                .Put("order_create_client_receipt_id", o.ClientReceiptId)
                .Put("statement_message", o.StatementMessage)
                .Put("plan_instance_no_2", o.PlanInstanceNo);
            if (details)
            {
                row["order_items"] = Json.Array(o.Lines, l => new JsonObject()
                    .Put("line_no", l.LineNo)
                    .Put("client_sku", l.ClientSku)
                    .Put("label", l.Label)
                    .Put("long_desc", l.Description)
                    .Put("units", l.Units)
                    .Put("unit_amount", l.UnitAmount)
                    .Put("line_amount", l.LineAmount)
                    .Put("line_comments", l.Comments));
            }

            return row;
        }));
    }
}
