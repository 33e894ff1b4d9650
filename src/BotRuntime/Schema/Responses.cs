using System.Text.Json;

namespace BotRuntime.Schema;

/// <summary>What a channel answers when it accepted an activity.</summary>
public sealed class ResourceResponse
{
    public ResourceResponse() { }
    public ResourceResponse(string? id) => Id = id;
    public string? Id { get; set; }
}

/// <summary>The body of a <c>deliveryMode: expectReplies</c> answer.</summary>
public sealed class ExpectedReplies
{
    public List<Activity> Activities { get; set; } = [];
}

/// <summary>The HTTP answer to an <c>invoke</c> activity.</summary>
public sealed class InvokeResponse
{
    public int Status { get; set; }
    public JsonElement? Body { get; set; }
}

public sealed class ErrorResponse
{
    public Error? Error { get; set; }
}

public sealed class Error
{
    public string? Code { get; set; }
    public string? Message { get; set; }
}
