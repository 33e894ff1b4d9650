using System.Net;
using System.Text.Json.Nodes;
using Aria.Sandbox.Billing;
using Aria.Sandbox.Calls;
using Aria.Sandbox.Events;
using Aria.Sandbox.Seed;
using Aria.Sandbox.State;
using Microsoft.Extensions.Logging;

namespace Aria.Sandbox.Protocol;

/// <summary>
/// Runs one Aria call against the state: checks the caller (1004, 1003), finds the call
/// (-1 if the sandbox does not simulate it), lets simulated time catch up, runs the handler under
/// the state lock, queues the event notifications of what changed, and logs it. Never throws: every failure becomes an Aria error reply.
/// </summary>
internal sealed partial class SandboxDispatcher(SandboxState state, SandboxSeeder seeder, SandboxCallLog callLog, SandboxClock time, SandboxEventEmitter events, ILogger<SandboxDispatcher> logger)
{
    private static readonly Dictionary<string, Func<CallContext, JsonObject>> Calls = new(StringComparer.Ordinal)
    {
        ["set_session_auth_m"] = SessionCalls.SetSessionAuth,
        ["set_session_m"] = SessionCalls.SetSession,
        ["validate_session_m"] = SessionCalls.ValidateSession,
        ["keep_alive_m"] = SessionCalls.KeepAlive,
        ["kill_session_m"] = SessionCalls.KillSession,
        ["get_acct_no_from_user_id_m"] = SessionCalls.GetAcctNoFromUserId,
        ["update_acct_credentials_m"] = SessionCalls.UpdateAcctCredentials,
        ["get_acct_details_all_m"] = AccountCalls.GetAcctDetailsAll,
        ["get_acct_plans_m"] = AccountCalls.GetAcctPlans,
        ["get_client_plans_basic_m"] = AccountCalls.GetClientPlansBasic,
        ["get_avail_plans_for_acct_m"] = AccountCalls.GetAvailPlansForAcct,
        ["get_rate_schedules_for_plan_m"] = AccountCalls.GetRateSchedulesForPlan,
        ["replace_acct_plan_m"] = PlanChangeCalls.Replace,
        ["assign_acct_plan_m"] = PlanChangeCalls.Assign,
        ["update_acct_plan_m"] = PlanChangeCalls.Update,
        ["cancel_acct_plan_m"] = PlanChangeCalls.Cancel,
        ["collect_from_account_m"] = PaymentCalls.CollectFromAccount,
        ["settle_account_balance_m"] = PaymentCalls.SettleAccountBalance,
        ["get_acct_payment_methods_and_terms_m"] = PaymentCalls.GetPaymentMethodsAndTerms,
        ["update_payment_method_m"] = PaymentCalls.UpdatePaymentMethod,
        ["get_acct_payment_history_m"] = HistoryCalls.GetPaymentHistory,
        ["get_all_acct_receipt_ids_m"] = ReceiptCalls.GetAllAcctReceiptIds,
        ["get_all_actions_by_receipt_id_m"] = ReceiptCalls.GetAllActionsByReceiptId,
        ["get_acct_contacts_m"] = ContactCalls.GetAcctContacts,
        ["update_contact_m"] = ContactCalls.UpdateContact,
        ["get_acct_statement_history_m"] = HistoryCalls.GetStatementHistory,
        ["get_statement_for_invoice_m"] = HistoryCalls.GetStatementForInvoice,
        ["get_acct_trans_history_m"] = HistoryCalls.GetTransHistory,
        ["get_invoice_history_m"] = HistoryCalls.GetInvoiceHistory,
        ["get_invoice_details_m"] = HistoryCalls.GetInvoiceDetails,
        ["get_order_m"] = HistoryCalls.GetOrder,
        ["get_client_items_all_m"] = OrderCalls.GetClientItemsAll,
        ["create_order_m"] = OrderCalls.CreateOrder,
    };

    public static IReadOnlyCollection<string> SupportedCalls => Calls.Keys;

    public JsonObject Dispatch(AriaInput input, IPAddress? remoteAddress, string transport)
    {
        var restCall = input.NonEmpty("rest_call") ?? string.Empty;
        long? acctNo = null;
        JsonObject reply;
        try
        {
            lock (state.Gate)
            {
                seeder.EnsureSeeded();
                var client = Authenticate(input, remoteAddress);
                if (!Calls.TryGetValue(restCall, out var handler))
                {
                    throw new AriaFault(AriaCodes.NotAttempted, $"unknown or unsupported API: '{restCall}' (the sandbox does not simulate it)");
                }

                var now = time.GetUtcNow();
                events.CatchUp(state, client, now);
                var context = new CallContext(input, state, client, now);
                var before = events.Before(state, context.Today);
                try
                {
                    reply = handler(context);
                }
                finally
                {
                    acctNo = context.AcctNo;

                    // Queued for delivery only: the documents are sent after this call has answered.
                    events.After(state, client, before, now, context.ReceiptId);
                }
            }
        }
        catch (AriaFault fault)
        {
            reply = new JsonObject { ["error_code"] = fault.Code, ["error_msg"] = fault.Message };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A sandbox bug or an input the sandbox did not foresee: answer like Aria, never with a stack trace.
            LogUnexpected(logger, restCall, ex);
            reply = new JsonObject { ["error_code"] = AriaCodes.Unexpected, ["error_msg"] = "unexpected error" };
        }

        var errorCode = long.Parse(reply["error_code"]?.ToJsonString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        bool? doWrite = input.Str("do_write") switch { "true" => true, "false" => false, _ => null };
        callLog.Add(new SandboxCall(time.GetUtcNow(), restCall, acctNo, errorCode, doWrite, transport));
        LogCall(logger, restCall, acctNo, errorCode, transport);
        return reply;
    }

    private SandboxClient Authenticate(AriaInput input, IPAddress? remoteAddress)
    {
        // Order of checks (client, then IP, then key) is the sandbox's own (unverified against Aria).
        var clientNo = input.NonEmpty("client_no");
        var client = state.Clients.FirstOrDefault(c => c.ClientNo.ToString(System.Globalization.CultureInfo.InvariantCulture) == clientNo)
            ?? throw new AriaFault(AriaCodes.AuthenticationFailed, "authentication error");
        if (!IsAllowed(client, remoteAddress))
        {
            throw new AriaFault(AriaCodes.HostNotPermitted, "host not permitted");
        }

        var key = input.Str("auth_key") ?? string.Empty;
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(client.AuthKey)))
        {
            throw new AriaFault(AriaCodes.AuthenticationFailed, "authentication error");
        }

        return client;
    }

    private static bool IsAllowed(SandboxClient client, IPAddress? remote)
    {
        if (client.AllowedIpAddresses.Contains("*"))
        {
            return true;
        }

        var address = remote is null ? IPAddress.Loopback : remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return client.AllowedIpAddresses.Any(a => IPAddress.TryParse(a, out var allowed) && allowed.Equals(address));
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Debug, Message = "Aria sandbox {RestCall} for account {AcctNo} answered {ErrorCode} ({Transport})")]
    private static partial void LogCall(ILogger logger, string restCall, long? acctNo, long errorCode, string transport);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error, Message = "Aria sandbox {RestCall} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string restCall, Exception exception);
}
