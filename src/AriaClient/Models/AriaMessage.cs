using System.Text.Json.Serialization;

namespace Aria.Client.Models;

/// <summary>
/// Every Aria call is a POST whose body names the call in <c>rest_call</c>. The credentials
/// (<c>client_no</c>, <c>auth_key</c>) and <c>output_format</c> are not part of these types:
/// <see cref="Http.AriaRequestHandler"/> adds them on the way out, so they never sit in an object
/// that someone could log or show.
/// </summary>
public abstract class AriaRequest(string restCall)
{
    [JsonPropertyName("rest_call")]
    public string RestCall { get; } = restCall;

    // A class, not a record: a record's generated ToString would print passwords and card numbers.
    public override string ToString() => RestCall;
}

/// <summary>The two fields every Aria reply carries; <c>error_code</c> 0 means OK.</summary>
public abstract class AriaResponse
{
    [JsonPropertyName("error_code")]
    public long ErrorCode { get; set; }

    [JsonPropertyName("error_msg")]
    public string? ErrorMsg { get; set; }
}

/// <summary>A row of <c>optional_transaction_qualifiers[]</c>.</summary>
public sealed class OptionalTransactionQualifier
{
    [JsonPropertyName("qualifier_name")]
    public string? QualifierName { get; set; }

    [JsonPropertyName("qualifier_value")]
    public string? QualifierValue { get; set; }
}
