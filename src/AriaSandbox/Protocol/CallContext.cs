using System.Globalization;
using System.Text.Json.Nodes;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Protocol;

/// <summary>What a call handler works with: the inputs, the state (its lock held), the client and the simulated time.</summary>
internal sealed class CallContext(AriaInput input, SandboxState state, SandboxClient client, DateTimeOffset now)
{
    public AriaInput Input { get; } = input;
    public SandboxState State { get; } = state;
    public SandboxClient Client { get; } = client;
    public DateTimeOffset Now { get; } = now;

    /// <summary>Aria's business date (the sandbox runs on UTC dates; unverified against Aria, which uses the client's time zone).</summary>
    public DateOnly Today { get; } = DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The account the call was about, for the call log.</summary>
    public long? AcctNo { get; set; }

    public Account Account(string field = "acct_no", bool allowUserId = false)
    {
        var account = State.ResolveAccount(Input, field, allowUserId);
        AcctNo = account.AcctNo;
        return account;
    }

    public string? ReceiptId => Input.NonEmpty("client_receipt_id");

    /// <summary>1099 if this receipt id was used by a committed write (also checked on a preview, which never consumes it).</summary>
    public void CheckReceipt()
    {
        if (ReceiptId is { } receipt && State.UsedReceiptIds.Contains(receipt))
        {
            throw new AriaFault(AriaCodes.ReceiptIdUsed, $"client_receipt_id {receipt} is invalid or already used");
        }
    }

    /// <summary>Recorded only when the write commits.</summary>
    public void RecordReceipt()
    {
        if (ReceiptId is { } receipt)
        {
            State.UsedReceiptIds.Add(receipt);
        }
    }

    public static JsonObject Ok() => new() { ["error_code"] = 0L, ["error_msg"] = "OK" };

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? date) => date is { } d ? Date(d) : null;
}

/// <summary>Small helpers for building Aria replies.</summary>
internal static class Json
{
    /// <summary>Adds a property only when it has a value: Aria's replies leave empty fields out or null.</summary>
    public static JsonObject Put(this JsonObject obj, string name, JsonNode? value)
    {
        if (value is not null)
        {
            obj[name] = value;
        }

        return obj;
    }

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonObject> map) => new([.. items.Select(i => (JsonNode)map(i))]);
}
