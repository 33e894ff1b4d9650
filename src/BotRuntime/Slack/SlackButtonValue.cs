using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotRuntime.Slack;

/// <summary>
/// What a Block Kit button carries back: the text the click says (an imBack's value, a messageBack's text) and the
/// value (a messageBack's or an Adaptive Card submit's data, e.g. a preview id), as compact JSON in the button's
/// <c>value</c> (Slack allows 2000 characters).
/// </summary>
public static class SlackButtonValue
{
    public const int MaxLength = 2000;

    /// <summary>The button value, or null when it would not fit (the button is then left out rather than cut).</summary>
    public static string? Write(string? text, JsonElement? value)
    {
        var envelope = new JsonObject();
        if (!string.IsNullOrEmpty(text))
        {
            envelope["t"] = text;
        }
        if (value is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } data)
        {
            envelope["v"] = JsonNode.Parse(data.GetRawText());
        }
        var json = envelope.ToJsonString();
        return json.Length <= MaxLength ? json : null;
    }

    public static bool TryRead(string? raw, out string? text, out JsonElement? value)
    {
        text = null;
        value = null;
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxLength)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            if (root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String)
            {
                text = t.GetString();
            }
            if (root.TryGetProperty("v", out var v))
            {
                value = v.Clone();
            }
            return text is not null || value is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
