using System.Text.Json.Nodes;

namespace Aria.Client.Http;

/// <summary>
/// What the handlers need to know about an outgoing Aria call, worked out once from its body by
/// <see cref="AriaRequestHandler"/> and carried in <see cref="HttpRequestMessage.Options"/>.
/// </summary>
public sealed class AriaCallInfo
{
    public static readonly HttpRequestOptionsKey<AriaCallInfo> Key = new("Aria.Call");

    public required string RestCall { get; init; }

    /// <summary>The call changes state in Aria when it succeeds.</summary>
    public required bool IsWrite { get; init; }

    public required bool HasReceiptId { get; init; }

    /// <summary>The account the call is about, when it names one (for the log line).</summary>
    public long? AccountNo { get; init; }

    /// <summary>Attempts sent so far, counted by <see cref="AriaLoggingHandler"/>.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// Safe to send again after a transient failure: reads and previews change nothing, and a write
    /// with a receipt id is refused by Aria (1099) if an earlier attempt committed. A write without a
    /// receipt id could apply twice, so it is never retried.
    /// </summary>
    public bool IsRetryable => !IsWrite || HasReceiptId;

    public static AriaCallInfo? From(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var info) ? info : null;

    internal static AriaCallInfo Classify(JsonObject body)
    {
        var restCall = body["rest_call"]?.GetValue<string>() ?? string.Empty;
        return new AriaCallInfo
        {
            RestCall = restCall,
            IsWrite = IsWriteCall(restCall, body),
            HasReceiptId = !string.IsNullOrWhiteSpace(body["client_receipt_id"]?.GetValue<string>()),
            AccountNo = AccountOf(body),
        };
    }

    private static bool IsWriteCall(string restCall, JsonObject body)
    {
        if (restCall.StartsWith("get_", StringComparison.Ordinal) || restCall == "validate_session_m")
        {
            return false;
        }

        // A do_write=false call is a preview: Aria computes and changes nothing.
        var doWrite = body["do_write"];
        return doWrite is null || doWrite.GetValue<string>() != "false";
    }

    private static long? AccountOf(JsonObject body)
    {
        foreach (var name in (ReadOnlySpan<string>)["acct_no", "account_no"])
        {
            if (body[name] is JsonValue value && value.TryGetValue<long>(out var number))
            {
                return number;
            }
        }

        return null;
    }
}
