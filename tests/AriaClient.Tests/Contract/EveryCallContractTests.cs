using System.Text.Json.Nodes;
using System.Web;
using Aria.Client;
using Aria.Client.Models;
using AriaClient.Tests.Infrastructure;

namespace AriaClient.Tests.Contract;

/// <summary>
/// Drives every client call over HTTP against the sandbox — in-process and through Kestrel, on
/// both transports — and checks each reply the sandbox produced against Aria's release-19 Swagger.
/// </summary>
public sealed class EveryCallContractTests
{
    [Theory]
    [InlineData(AriaTransport.Form, false)]
    [InlineData(AriaTransport.Json, false)]
    [InlineData(AriaTransport.Form, true)]
    [InlineData(AriaTransport.Json, true)]
    public async Task Every_call_succeeds_and_every_reply_matches_Arias_swagger(AriaTransport transport, bool overKestrel)
    {
        using var host = new AriaTestHost(transport, overKestrel: overKestrel);
        await RunEveryCallAsync(host.Aria);

        var exchanges = host.Recorder.Exchanges.ToList();
        var schema = SwaggerSchema.Load;
        var seen = new HashSet<string>();
        foreach (var exchange in exchanges)
        {
            var restCall = RestCallOf(exchange);
            seen.Add(restCall);
            Assert.Equal(transport == AriaTransport.Form ? "/aria-sandbox/api/ws/api_ws_class_dispatcher.php" : "/aria-sandbox/v1/core", exchange.Path);
            var problems = schema.Validate(exchange.ResponseJson, schema.ResponseDefinition(restCall));
            Assert.True(problems.Count == 0, $"{restCall}: {string.Join("; ", problems)}");
            if (transport == AriaTransport.Json)
            {
                // On the JSON transport the request body itself must be a valid Aria request.
                var requestProblems = schema.Validate(JsonNode.Parse(exchange.RequestBody), schema.RequestDefinition(restCall));
                Assert.True(requestProblems.Count == 0, $"{restCall} request: {string.Join("; ", requestProblems)}");
            }
        }

        Assert.Equal(schema.Calls.OrderBy(c => c), seen.OrderBy(c => c));
    }

    internal static string RestCallOf(WireExchange exchange) =>
        exchange.ContentType == "application/x-www-form-urlencoded"
            ? HttpUtility.ParseQueryString(exchange.RequestBody)["rest_call"]!
            : JsonNode.Parse(exchange.RequestBody)!["rest_call"]!.GetValue<string>();

    private static T Ok<T>(AriaResult<T> result)
        where T : class
    {
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    internal static async Task RunEveryCallAsync(IAriaClient aria)
    {
        var session = Ok(await aria.SetSessionAuthAsync(new() { UserId = "alice", Password = "alice-demo-1" })).SessionId;
        Assert.Equal(Demo.Alice, Ok(await aria.ValidateSessionAsync(new() { SessionId = session })).AccountNo);
        Ok(await aria.KeepAliveAsync(new() { SessionId = session }));
        var other = Ok(await aria.SetSessionAsync(new() { AcctNo = Demo.Alice })).SessionId;
        Ok(await aria.KillSessionAsync(new() { SessionId = other }));
        Assert.True((await aria.ValidateSessionAsync(new() { SessionId = other })).Error!.IsSessionInvalid);

        var details = Ok(await aria.GetAcctDetailsAllAsync(new() { AcctNo = Demo.Alice }));
        Assert.Equal("alice", details.Userid);
        var master = details.MasterPlansInfo!.Single();
        var plans = Ok(await aria.GetAcctPlansAsync(new() { AcctNo = Demo.Alice }));
        Assert.Contains(plans.AcctPlansM!, p => p.PlanInstanceNo == master.MasterPlanInstanceNo);
        Assert.NotEmpty(Ok(await aria.GetClientPlansBasicAsync(new())).PlanDetails!);
        Assert.NotEmpty(Ok(await aria.GetAvailPlansForAcctAsync(new() { AcctNo = Demo.Alice })).AllClientAvailPlans!);
        Assert.NotEmpty(Ok(await aria.GetAvailPlansForAcctAsync(new() { AcctNo = Demo.Alice, PlanInstanceNo = master.MasterPlanInstanceNo })).AllClientAvailPlans!);
        Assert.NotEmpty(Ok(await aria.GetRateSchedulesForPlanAsync(new() { PlanNo = Demo.Premium })).RateScheds!);

        var replace = new ReplaceAcctPlanMRequest { AcctNo = Demo.Alice, PlanInstanceNo = master.MasterPlanInstanceNo, NewPlanNo = Demo.Premium, DoWrite = false, ClientReceiptId = "every-call-replace", IncludePlanInstanceQueue = true };
        Ok(await aria.ReplaceAcctPlanAsync(replace));
        replace.DoWrite = true;
        Ok(await aria.ReplaceAcctPlanAsync(replace));

        var assign = new AssignAcctPlanMRequest { AcctNo = Demo.Alice, NewPlanNo = Demo.ExtraStorage, ParentPlanInstanceNo = master.MasterPlanInstanceNo, PlanUnits = 2, DoWrite = false, ClientReceiptId = "every-call-assign" };
        Ok(await aria.AssignAcctPlanAsync(assign));
        assign.DoWrite = true;
        var supp = Ok(await aria.AssignAcctPlanAsync(assign)).PlanInstanceNo;

        var update = new UpdateAcctPlanMRequest { AcctNo = Demo.Alice, PlanInstanceNo = supp, PlanUnits = 3, DoWrite = false };
        Ok(await aria.UpdateAcctPlanAsync(update));
        update.DoWrite = true;
        update.ClientReceiptId = "every-call-update";
        Ok(await aria.UpdateAcctPlanAsync(update));

        var cancel = new CancelAcctPlanMRequest { AcctNo = Demo.Alice, PlanInstanceNo = supp, DoWrite = false };
        Ok(await aria.CancelAcctPlanAsync(cancel));
        cancel.DoWrite = true;
        Ok(await aria.CancelAcctPlanAsync(cancel));

        Ok(await aria.CollectFromAccountAsync(new() { AcctNo = Demo.Alice, AmountToCollect = 10m, ClientReceiptId = "every-call-collect" }));
        Ok(await aria.SettleAccountBalanceAsync(new() { AcctNo = Demo.Bob, ClientReceiptId = "every-call-settle" }));
        var methods = Ok(await aria.GetAcctPaymentMethodsAndTermsAsync(new() { AcctNo = Demo.Alice }));
        var card = methods.AccountPaymentMethods!.First();
        var updated = Ok(await aria.UpdatePaymentMethodAsync(new()
        {
            AcctNo = Demo.Alice, PaymentMethodNo = card.PaymentMethodNo, PayMethodType = 1, CcNum = "4111111111111111", CcExpireMm = 12, CcExpireYyyy = 2030, Cvv = "123",
            BillFirstName = "Alice", ClientReceiptId = "every-call-card",
        }));
        Assert.NotNull(updated.SeqNo);
        Assert.NotEmpty(Ok(await aria.GetAcctPaymentHistoryAsync(new() { AcctNo = Demo.Alice })).AcctPaymentHistory!);
        Assert.Contains(Ok(await aria.GetAllAcctReceiptIdsAsync(new() { AcctNo = Demo.Alice })).AcctReceipt!, r => r.ClientReceiptId == "every-call-collect");
        Assert.NotEmpty(Ok(await aria.GetAllActionsByReceiptIdAsync(new() { AcctNo = Demo.Alice, ClientReceiptId = "every-call-collect" })).ReceiptAction!);

        Assert.NotEmpty(Ok(await aria.GetAcctContactsAsync(new() { AcctNo = Demo.Alice })).AccountContact!);
        Ok(await aria.UpdateContactAsync(new() { AcctNo = Demo.Alice, ContactInd = 1, Phone = "+1 503 555 0199", Address2 = "~" }));

        var statements = Ok(await aria.GetAcctStatementHistoryAsync(new() { AcctNo = Demo.Frank })).StatementsHistory!;
        Assert.True(statements.Count >= 6);
        Assert.StartsWith("<html>", Ok(await aria.GetStatementForInvoiceAsync(new() { AcctNo = Demo.Frank, InvoiceNo = statements[0].InvoiceNo })).OutStatement, StringComparison.Ordinal);
        Assert.NotEmpty(Ok(await aria.GetAcctTransHistoryAsync(new() { AccountNo = Demo.Frank })).History!);
        var invoices = Ok(await aria.GetInvoiceHistoryAsync(new() { AcctNo = Demo.Frank })).InvoiceHist!;
        Assert.NotEmpty(invoices);
        Assert.NotEmpty(Ok(await aria.GetInvoiceDetailsAsync(new() { AcctNo = Demo.Frank, InvoiceNo = invoices[0].InvoiceNo })).InvoiceLineDetails!);
        var orders = Ok(await aria.GetOrderAsync(new() { AcctNo = Demo.Frank, DetailsFlag = 1 })).Orders!;
        Assert.Equal(3, orders.Count);
        Assert.All(orders, o => Assert.NotEmpty(o.OrderItems!));

        var items = Ok(await aria.GetClientItemsAllAsync(new())).AllClientItemDetails!;
        Assert.DoesNotContain(items, i => i.ActiveInd == 0);
        var order = new CreateOrderMRequest
        {
            AcctNo = Demo.Frank, PlanInstanceNo = orders[0].PlanInstanceNo2, DoWrite = false, ClientReceiptId = "every-call-order",
            OrderLineItems = [new() { ClientSku = "RTR-AX3000", Units = 1 }, new() { ClientSku = "CBL-CAT6-5M", Units = 3, LineComments = "for the office" }],
        };
        Assert.Equal(2, Ok(await aria.CreateOrderAsync(order)).CartInvoiceLineItems!.Count);
        order.DoWrite = true;
        Assert.NotNull(Ok(await aria.CreateOrderAsync(order)).OrderNo);

        Assert.Equal(Demo.Alice, Ok(await aria.GetAcctNoFromUserIdAsync(new() { UserId = "alice" })).AcctNo);
        Ok(await aria.UpdateAcctCredentialsAsync(new() { AccountNo = Demo.Alice, Password = "a-new-password-2" }));
        Ok(await aria.SetSessionAuthAsync(new() { UserId = "alice", Password = "a-new-password-2" }));
    }
}
