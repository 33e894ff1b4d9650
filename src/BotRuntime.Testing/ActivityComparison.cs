using System.Globalization;
using System.Text;
using System.Text.Json;
using BotRuntime.Schema;

namespace BotRuntime.Testing;

/// <summary>Short, readable descriptions and field-by-field comparison of activities for failure messages.</summary>
public static class ActivityComparison
{
    /// <summary>One line: type, text, buttons and cards, e.g. <c>message "Pick one" [suggested: Gold | Silver]</c>.</summary>
    public static string Describe(Activity? activity)
    {
        if (activity is null)
        {
            return "nothing";
        }
        var text = new StringBuilder(activity.Type ?? "(no type)");
        if (activity.Text is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" \"{activity.Text}\"");
        }
        if (activity.SuggestedActions?.Actions is { Count: > 0 } actions)
        {
            text.Append(CultureInfo.InvariantCulture, $" [suggested: {string.Join(" | ", actions.Select(a => a.Title ?? ValueText(a.Value)))}]");
        }
        if (activity.Attachments is { Count: > 0 } attachments)
        {
            text.Append(CultureInfo.InvariantCulture, $" [attachments: {string.Join(", ", attachments.Select(DescribeAttachment))}]");
        }
        return text.ToString();
    }

    private static string DescribeAttachment(Attachment attachment)
    {
        var card = attachment.ContentType == ContentTypes.HeroCard ? attachment.ContentAs<HeroCard>() : null;
        return card?.Buttons is { Count: > 0 } buttons
            ? $"{attachment.ContentType} with buttons {string.Join(" | ", buttons.Select(b => b.Title))}"
            : attachment.ContentType ?? "(no content type)";
    }

    private static string ValueText(JsonElement? value) => value?.ValueKind == JsonValueKind.String ? value.Value.GetString() ?? string.Empty : value?.GetRawText() ?? string.Empty;

    /// <summary>Text compared the way the SDK's TestFlow does: trimmed, with line endings normalised.</summary>
    public static string? NormaliseText(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    /// <summary>
    /// The first difference between two bot activities in the fields a transcript pins down — type, text,
    /// attachments and suggested actions — as "field: expected …, actual …"; null when they agree. Ids,
    /// timestamps, addressing and other fields are ignored.
    /// </summary>
    public static string? FirstDifference(Activity expected, Activity actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!string.Equals(expected.Type, actual.Type, StringComparison.Ordinal))
        {
            return $"type: expected \"{expected.Type}\", actual \"{actual.Type}\"";
        }
        var expectedText = NormaliseText(expected.Text);
        var actualText = NormaliseText(actual.Text);
        if (!string.Equals(string.IsNullOrEmpty(expectedText) ? null : expectedText, string.IsNullOrEmpty(actualText) ? null : actualText, StringComparison.Ordinal))
        {
            return $"text: expected {Quote(expectedText)}, actual {Quote(actualText)}";
        }
        var attachments = JsonDifference("attachments", ToJson(expected.Attachments is { Count: > 0 } ? expected.Attachments : null), ToJson(actual.Attachments is { Count: > 0 } ? actual.Attachments : null));
        if (attachments is not null)
        {
            return attachments;
        }
        return JsonDifference("suggestedActions", ToJson(expected.SuggestedActions?.Actions is { Count: > 0 } ? expected.SuggestedActions : null), ToJson(actual.SuggestedActions?.Actions is { Count: > 0 } ? actual.SuggestedActions : null));
    }

    private static string Quote(string? text) => text is null ? "no text" : $"\"{text}\"";

    private static JsonElement ToJson<T>(T value) => JsonSerializer.SerializeToElement(value, BotJson.Options);

    /// <summary>
    /// In an expected activity, this string stands for any value (an id, an amount or a date that changes from run
    /// to run), so a transcript can pin down everything else.
    /// </summary>
    public const string AnyValue = "<any>";

    /// <summary>The path of the first place two JSON values differ, with both sides; null when equal. Object key order is ignored.</summary>
    public static string? JsonDifference(string path, JsonElement expected, JsonElement actual)
    {
        if (expected.ValueKind == JsonValueKind.String && expected.GetString() == AnyValue)
        {
            return null;
        }
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {Show(expected)}, actual {Show(actual)}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedProperties = expected.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var actualProperties = actual.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                foreach (var name in expectedProperties.Keys.Union(actualProperties.Keys).Order(StringComparer.Ordinal))
                {
                    var inExpected = expectedProperties.TryGetValue(name, out var e);
                    var inActual = actualProperties.TryGetValue(name, out var a);
                    if (!inExpected)
                    {
                        return $"{path}.{name}: expected nothing, actual {Show(a)}";
                    }
                    if (!inActual)
                    {
                        return $"{path}.{name}: expected {Show(e)}, actual nothing";
                    }
                    if (JsonDifference($"{path}.{name}", e, a) is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToList();
                var actualItems = actual.EnumerateArray().ToList();
                for (var i = 0; i < Math.Min(expectedItems.Count, actualItems.Count); i++)
                {
                    if (JsonDifference($"{path}[{i}]", expectedItems[i], actualItems[i]) is { } difference)
                    {
                        return difference;
                    }
                }
                return expectedItems.Count == actualItems.Count
                    ? null
                    : $"{path}: expected {expectedItems.Count} items, actual {actualItems.Count} ({Show(expected)} vs {Show(actual)})";
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal() ? null : $"{path}: expected {Show(expected)}, actual {Show(actual)}";
            default:
                return expected.GetRawText() == actual.GetRawText() ? null : $"{path}: expected {Show(expected)}, actual {Show(actual)}";
        }
    }

    private static string Show(JsonElement value)
    {
        var raw = value.ValueKind == JsonValueKind.Undefined ? "nothing" : value.GetRawText();
        return raw.Length > 200 ? raw[..200] + "…" : raw;
    }
}
