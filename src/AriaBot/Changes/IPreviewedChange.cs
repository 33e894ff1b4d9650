using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aria.Client;
using BotRuntime.State;

namespace AriaBot.Changes;

/// <summary>
/// An account change that Aria previews with <c>do_write=false</c> and applies with <c>do_write=true</c>: switch,
/// add, resize or cancel a plan; place an order. The request travels as JSON in the dialog's state (Aria's own
/// field names), so the write sends exactly what was previewed.
/// </summary>
public interface IPreviewedChange
{
    /// <summary>The kind of change, e.g. <c>replacePlan</c>; names the write intent and its reconciler.</summary>
    string Kind { get; }

    /// <summary>The Aria call, for the audit log.</summary>
    string AriaCall { get; }

    /// <summary>Sends the request with <c>do_write=false</c>; nothing changes in Aria.</summary>
    Task<AriaResult<PreviewSummary>> PreviewAsync(JsonElement request, PreviewContext context, CancellationToken cancellationToken);

    /// <summary>Sends the same request with <c>do_write=true</c>; the value is a short detail for the customer (an order number) or null.</summary>
    Task<AriaResult<ChangeApplied>> WriteAsync(JsonElement request, CancellationToken cancellationToken);

    /// <summary>
    /// The request carrying <paramref name="receiptId"/> as Aria's <c>client_receipt_id</c>. A change whose request has
    /// other fields that must be unique per write (an order's <c>client_order_id</c>) derives them here, so the stored
    /// request — and its hash — is exactly what is sent.
    /// </summary>
    JsonElement WithReceiptId(JsonElement request, string receiptId) => ChangeRequest.WithReceiptId(request, receiptId);

    /// <summary>
    /// True when this refusal of the write may mean that an earlier attempt of this very write committed (beyond the
    /// receipt-id and lost-reply cases every change shares), so the outcome is settled by reading the account.
    /// </summary>
    bool MayHaveBeenApplied(AriaError error) => false;
}

/// <summary>What the summary needs besides Aria's reply: the account's currency, the customer's locale, and when the change applies.</summary>
public sealed record PreviewContext(string Currency, string? Locale, string? Effective)
{
    /// <summary>Supplemental plans on the account (plan number → name): a change that credits one ends it.</summary>
    public IReadOnlyDictionary<long, string> AddOns { get; init; } = new Dictionary<long, string>();

    /// <summary>
    /// What the use case read of the account earlier in this same turn (<see cref="ConfirmChangeOptions.ReadingOfThisTurn"/>),
    /// on the confirmation's first preview only; null on every other. A change that knows its type may show it instead of
    /// reading the account again; any other change ignores it.
    /// </summary>
    public object? ReadingOfThisTurn { get; init; }
}

/// <summary>What a committed write reports back.</summary>
public sealed record ChangeApplied(string? Detail = null);

/// <summary>The request JSON of a change: typed in and out, with the receipt id and hash the exactly-once rules need.</summary>
public static class ChangeRequest
{
    public static JsonElement From<TRequest>(TRequest request) => JsonSerializer.SerializeToElement(request, StateJson.Options);

    public static TRequest To<TRequest>(JsonElement request) =>
        request.Deserialize<TRequest>(StateJson.Options) ?? throw new InvalidOperationException($"Stored request is not a {typeof(TRequest).Name}.");

    /// <summary>The request with Aria's <c>client_receipt_id</c> set: the idempotency key created with the preview.</summary>
    public static JsonElement WithReceiptId(JsonElement request, string receiptId)
    {
        var node = JsonNode.Parse(request.GetRawText())!.AsObject();
        node["client_receipt_id"] = receiptId;
        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>A digest of the request without <c>do_write</c>: the write must send what the preview priced.</summary>
    public static string Hash(JsonElement request)
    {
        var node = JsonNode.Parse(request.GetRawText())!.AsObject();
        node.Remove("do_write");
        var canonical = new JsonObject(node.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => KeyValuePair.Create(pair.Key, pair.Value?.DeepClone())));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }
}
