using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;

namespace AriaBot.Orders.PlaceOrder;

/// <summary>
/// <c>create_order_m</c> as a previewed change: the same request with <c>do_write</c> false (Aria returns the
/// <c>cart_invoice_line_items</c> the invoice would have), then true. Its <c>client_order_id</c> is derived from the
/// write's receipt id, so the order can be found again by reading the account if the reply is lost.
/// </summary>
public sealed class CreateOrderChange(IAriaClient aria, IWords words) : IPreviewedChange
{
    public const string ChangeKind = "createOrder";

    public string Kind => ChangeKind;

    public string AriaCall => "create_order_m";

    /// <summary>
    /// The order's <c>client_order_id</c>: the receipt id itself, which is unique per write (at most 50 characters like
    /// <c>client_receipt_id</c>; Aria's length limit for <c>client_order_id</c> is not documented — unverified).
    /// </summary>
    public static string ClientOrderIdFor(string receiptId) => receiptId;

    public JsonElement WithReceiptId(JsonElement request, string receiptId)
    {
        var node = JsonNode.Parse(ChangeRequest.WithReceiptId(request, receiptId).GetRawText())!.AsObject();
        node["client_order_id"] = ClientOrderIdFor(receiptId);
        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>
    /// 3118 (duplicate <c>client_order_id</c>) on the write: the id belongs to this write alone, so an earlier attempt of
    /// it most likely created the order (if Aria checks the order id before the receipt id). Settle it by reading.
    /// </summary>
    public bool MayHaveBeenApplied(AriaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Is(AriaErrorCode.DuplicateClientOrderId);
    }

    public async Task<AriaResult<PreviewSummary>> PreviewAsync(JsonElement request, PreviewContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var typed = ChangeRequest.To<CreateOrderMRequest>(request);
        typed.DoWrite = false;
        var reply = await aria.CreateOrderAsync(typed, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return AriaResult<PreviewSummary>.Failure(reply.Error);
        }
        // Null follows AUTO BILL ORDERS, which defaults to billing now; 1 bills now; every other option bills later.
        var billedLater = typed.BillImmediately is not (null or 1);
        return AriaResult<PreviewSummary>.Success(OrderSummary.From(reply.Value, context.Currency, billedLater, words.Format(PlaceOrderWords.Credits, context.Locale)));
    }

    public async Task<AriaResult<ChangeApplied>> WriteAsync(JsonElement request, CancellationToken cancellationToken)
    {
        var typed = ChangeRequest.To<CreateOrderMRequest>(request);
        typed.DoWrite = true;
        var reply = await aria.CreateOrderAsync(typed, cancellationToken).ConfigureAwait(false);
        // The order number is the detail: the customer's done message names it, the audit row keeps it.
        return reply.IsSuccess
            ? AriaResult<ChangeApplied>.Success(new ChangeApplied(reply.Value.OrderNo?.ToString(CultureInfo.InvariantCulture)))
            : AriaResult<ChangeApplied>.Failure(reply.Error);
    }
}

/// <summary>
/// Proves whether an order was created by reading the account's orders with <c>get_order_m</c> by the write's
/// <c>client_order_id</c>: found → committed; none → not applied; Aria unavailable or an unexpected error → unknown.
/// </summary>
public sealed class CreateOrderReconciler(IAriaClient aria) : IWriteReconciler
{
    public string Kind => CreateOrderChange.ChangeKind;

    public async Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Expectation is not { } expectation || ChangeRequest.To<CreateOrderMRequest>(expectation).ClientOrderId is not { Length: > 0 } clientOrderId)
        {
            return ReconciledOutcome.Unknown;
        }
        var read = await aria.GetOrderAsync(new GetOrderMRequest { AcctNo = intent.AccountNo, ClientOrderId = clientOrderId }, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            // 1002 "no data found" is how Aria may answer a filter that matches nothing (unverified: it may also
            // answer an empty list, handled below). Anything else proves nothing.
            return read.Error.Is(AriaErrorCode.NoDataFound) ? ReconciledOutcome.NotApplied : ReconciledOutcome.Unknown;
        }
        // Compared here too: whether Aria filters by client_order_id when order_no is absent is not documented.
        return (read.Value.Orders ?? []).Any(order => order.ClientOrderId == clientOrderId)
            ? ReconciledOutcome.Committed
            : ReconciledOutcome.NotApplied;
    }
}
