using System.Text.Json.Nodes;
using Aria.Sandbox.Billing;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>Inventory items and orders.</summary>
internal static class OrderCalls
{
    public static JsonObject GetClientItemsAll(CallContext ctx)
    {
        var includeInactive = ctx.Input.Bool("include_inactive_items", defaultValue: false);
        var itemNo = ctx.Input.Long("filter_item_no");
        var currency = ctx.Input.NonEmpty("filter_currency_cd");
        var items = ctx.State.Items
            .Where(i => (includeInactive || i.Active) && (itemNo is null || i.ItemNo == itemNo))
            .Where(i => currency is null || string.Equals(currency, ctx.Client.Currency, StringComparison.OrdinalIgnoreCase));
        return CallContext.Ok().Put("all_client_item_details", Json.Array(items, i => new JsonObject()
            .Put("item_no", i.ItemNo)
            .Put("item_label", i.Label)
            .Put("service_no", i.ServiceNo)
            .Put("service_desc", $"{i.Label} sale")
            .Put("client_item_id", i.ClientSku)
            .Put("client_sku", i.ClientSku)
            .Put("stock_level", i.StockLevel)
            .Put("item_type", 0)
            .Put("item_desc", i.Description)
            .Put("active_ind", i.Active ? 1 : 0)
            .Put("all_item_prices", new JsonArray(new JsonObject()
                .Put("price", i.Price)
                .Put("price_per_unit", i.Price)
                .Put("currency_cd", ctx.Client.Currency)))));
    }

    public static JsonObject CreateOrder(CallContext ctx)
    {
        var account = ctx.Account();
        var doWrite = ctx.Input.Bool("do_write", defaultValue: true);
        if (account.StatusCd != 1)
        {
            // Unverified against Aria: orders are refused in the statuses that block plan changes.
            throw new AriaFault(AriaCodes.StatusBlocksChange, $"orders are not allowed in account status {account.StatusCd}");
        }

        ctx.CheckReceipt();
        var instanceNo = ctx.Input.Long("plan_instance_no");
        var instanceId = ctx.Input.NonEmpty("client_plan_instance_id");
        if (instanceNo is null && instanceId is null)
        {
            throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: plan_instance_no");
        }

        var master = ctx.State.InstancesOf(account.AcctNo).FirstOrDefault(i => i.IsMaster && i.IsLive && (instanceNo is not null ? i.PlanInstanceNo == instanceNo : i.ClientPlanInstanceId == instanceId))
            ?? throw new AriaFault(instanceNo is not null ? AriaCodes.InvalidPlanInstanceNo : AriaCodes.InvalidClientPlanInstanceId, "invalid master plan instance");

        var billImmediately = ctx.Input.Long("bill_immediately");
        if (billImmediately is not null and (< 0 or > 5))
        {
            throw new AriaFault(AriaCodes.InvalidBillImmediately, "invalid bill_immediately option");
        }

        var clientOrderId = ctx.Input.NonEmpty("client_order_id");
        if (clientOrderId is not null && ctx.State.Orders.Any(o => o.ClientOrderId == clientOrderId))
        {
            throw new AriaFault(AriaCodes.DuplicateClientOrderId, "duplicate client_order_id");
        }

        var rows = ctx.Input.Rows("order_line_items", "client_sku", "units", "amount", "unit_discount_amount", "line_comments");
        if (rows.Count == 0)
        {
            throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: order_line_items");
        }

        var lines = new List<OrderLine>();
        foreach (var row in rows)
        {
            var sku = row["client_sku"];
            var item = ctx.State.Items.FirstOrDefault(i => i.Active && i.ClientSku == sku)
                ?? throw new AriaFault(AriaCodes.InvalidInput, $"invalid client_sku {sku} (placeholder code; unverified against Aria)");
            if (!decimal.TryParse(row["units"], System.Globalization.CultureInfo.InvariantCulture, out var units) || units <= 0)
            {
                throw new AriaFault(AriaCodes.UnitsNotPositive, "units must be greater than zero");
            }

            var unitPrice = decimal.TryParse(row["amount"], System.Globalization.CultureInfo.InvariantCulture, out var overridden) ? overridden : item.Price;
            var discount = decimal.TryParse(row["unit_discount_amount"], System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0;
            var unitAmount = unitPrice - discount;
            lines.Add(new OrderLine
            {
                LineNo = lines.Count + 1,
                ClientSku = item.ClientSku,
                Label = item.Label,
                Description = item.Description,
                Units = units,
                UnitAmount = unitAmount,
                LineAmount = Money.Round(unitAmount * units),
                Comments = row["line_comments"],
            });
        }

        var invoiceLines = lines.Select(l =>
        {
            var item = ctx.State.Items.First(i => i.ClientSku == l.ClientSku);
            return new InvoiceLine
            {
                LineNo = l.LineNo,
                Description = $"{l.Label} x {l.Units:0.##}",
                ServiceNo = item.ServiceNo,
                ServiceName = $"{item.Label} sale",
                Units = l.Units,
                RatePerUnit = l.UnitAmount,
                Amount = l.LineAmount,
                From = ctx.Today,
                Thru = ctx.Today,
                ClientSku = l.ClientSku,
            };
        }).ToList();
        var total = lines.Sum(l => l.LineAmount);
        var billNow = billImmediately switch { null => ctx.Client.AutoBillOrders, 1 => true, _ => false };

        PaymentMethod? method = null;
        if (billImmediately == 1)
        {
            // bill_immediately=1 also collects the invoice from the method on file.
            var primary = account.BillingGroups.First(g => g.BillingGroupNo == master.BillingGroupNo).PrimaryPaymentMethodNo;
            method = account.PaymentMethods.FirstOrDefault(m => !m.Disabled && m.PaymentMethodNo == primary);
            if (method is not null && PaymentCalls.Decline(method.Behaviour) is { } decline && doWrite)
            {
                // The whole order is refused on a decline (unverified against Aria).
                return new JsonObject { ["error_code"] = decline.Code, ["error_msg"] = decline.Message }
                    .Put("proc_status_code", decline.ProcCode)
                    .Put("proc_status_text", decline.ProcText);
            }
        }

        var reply = CallContext.Ok()
            .Put("total_charges_before_tax", total)
            .Put("total_tax_charges", 0m)
            .Put("total_charges_after_tax", total)
            .Put("total_credit", 0m);
        if (!doWrite)
        {
            reply["cart_invoice_line_items"] = Json.Array(invoiceLines, l => new JsonObject()
                .Put("line_no", l.LineNo)
                .Put("service_no", l.ServiceNo)
                .Put("service_name", l.ServiceName)
                .Put("service_is_tax_ind", 0)
                .Put("line_units", l.Units)
                .Put("rate_per_unit", l.RatePerUnit)
                .Put("line_amount", l.Amount)
                .Put("description", l.Description)
                .Put("date_range_start", CallContext.Date(l.From))
                .Put("date_range_end", CallContext.Date(l.Thru)));
            return reply;
        }

        var order = new OrderRecord
        {
            OrderNo = ctx.State.NextId(),
            AcctNo = account.AcctNo,
            ClientOrderId = clientOrderId,
            PlanInstanceNo = master.PlanInstanceNo,
            ClientPlanInstanceId = master.ClientPlanInstanceId,
            CreateDate = ctx.Today,
            UpdateDate = ctx.Today,
            // Status labels are the sandbox's own (unverified against Aria).
            StatusLabel = billNow ? "Billed" : "Entered",
            Comments = ctx.Input.NonEmpty("order_comments"),
            StatementMessage = ctx.Input.NonEmpty("statement_message"),
            ClientReceiptId = ctx.ReceiptId,
            Lines = lines,
        };
        ctx.State.Orders.Add(order);
        foreach (var line in lines)
        {
            ctx.State.Items.First(i => i.ClientSku == line.ClientSku).StockLevel -= line.Units;
        }

        if (billNow)
        {
            var invoice = Ledger.Bill(ctx.State, account, master.PlanInstanceNo, ctx.Today, ctx.Today, ctx.Today, invoiceLines);
            order.InvoiceNo = invoice.InvoiceNo;
            reply["invoice_no"] = invoice.InvoiceNo;
            if (method is not null)
            {
                var payment = Ledger.Pay(ctx.State, account, total, method, null, null, ctx.Today);
                order.TransactionId = payment.TransactionId;
                reply["transaction_id"] = payment.TransactionId;
                reply["proc_status_code"] = "00";
                reply["proc_status_text"] = "Approved";
            }
        }

        ctx.RecordReceipt();
        reply["order_no"] = order.OrderNo;
        return reply;
    }
}
