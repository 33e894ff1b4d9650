using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Schema;

namespace BotRuntime.Privacy;

/// <summary>Why an incoming activity is being redacted.</summary>
public enum IncomingRedactionReason
{
    /// <summary>A user's activity just arrived: its stored copies (the Direct Line log and inbox) are about to be written.</summary>
    Incoming,

    /// <summary>
    /// A user's activity that an earlier version stored in clear, redacted once at upgrade. What the bot was waiting
    /// for at the time (a sign-in code) is no longer known, so a bot may be stricter here.
    /// </summary>
    StoredByEarlierVersion,
}

/// <summary>
/// Redacts what a user typed before any copy of it is stored or replayed (invariant 4, docs/invariants.md). Direct Line runs it
/// before the echo goes to the activity log, the inbox and the stream; the turn itself still gets the text as typed
/// (held in memory only) so the bot can tell the customer what it removed. The default is <see cref="SensitiveText"/>
/// on the text and on the strings of <c>value</c>; a bot that knows more (a code it is waiting for) registers its own.
/// </summary>
public interface IIncomingActivityRedactor
{
    /// <summary>A redacted copy of <paramref name="activity"/>, or null when nothing in it needs redacting (it is not changed).</summary>
    ValueTask<Activity?> RedactAsync(Activity activity, IncomingRedactionReason reason, CancellationToken cancellationToken);
}

/// <summary>The runtime's default: <see cref="SensitiveText"/> on <c>text</c> and on every string inside <c>value</c> (card submits).</summary>
public sealed class SensitiveTextActivityRedactor : IIncomingActivityRedactor
{
    public ValueTask<Activity?> RedactAsync(Activity activity, IncomingRedactionReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return ValueTask.FromResult(Redact(activity));
    }

    /// <summary>As <see cref="RedactAsync"/>, synchronously; for redactors that build on the default.</summary>
    public static Activity? Redact(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var text = activity.Text is { Length: > 0 } typed ? SensitiveText.Redact(typed) : null;
        var value = activity.Value is { } element ? RedactStrings(element) : null;
        if (text is not { HasSensitiveData: true } && value is null)
        {
            return null;
        }
        var copy = activity.Clone();
        if (text is { HasSensitiveData: true })
        {
            copy.Text = text.Text;
        }
        if (value is not null)
        {
            copy.Value = value;
        }
        return copy;
    }

    /// <summary>
    /// The element with every string leaf passed through <see cref="SensitiveText"/>, or null when none changed. Only
    /// values are touched, never property names: a card's input ids stay readable.
    /// </summary>
    public static JsonElement? RedactStrings(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String))
        {
            return null;
        }
        var node = JsonNode.Parse(element.GetRawText());
        if (node is null)
        {
            return null;
        }
        var changed = false;
        if (Replacement(node, ref changed) is { } replaced)
        {
            node = replaced;
        }
        return changed ? JsonSerializer.SerializeToElement(node) : null;
    }

    /// <summary>Redacts inside containers in place; a string leaf that needs redacting gets a replacement node (else null).</summary>
    private static JsonNode? Replacement(JsonNode node, ref bool changed)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(pair => pair.Key).ToList())
                {
                    if (obj[name] is { } child && Replacement(child, ref changed) is { } replaced)
                    {
                        obj[name] = replaced;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && Replacement(item, ref changed) is { } replaced)
                    {
                        array[i] = replaced;
                    }
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var redaction = SensitiveText.Redact(value.GetValue<string>());
                if (!redaction.HasSensitiveData)
                {
                    return null;
                }
                changed = true;
                return JsonValue.Create(redaction.Text);
            default:
                return null;
        }
    }
}
