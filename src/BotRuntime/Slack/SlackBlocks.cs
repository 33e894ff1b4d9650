using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Schema;

namespace BotRuntime.Slack;

/// <summary>A reply as Slack shows it: the notification/fallback text and the Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks)
{
    /// <summary>The native Slack message JSON (for <c>channelData</c> through Azure Bot Service).</summary>
    public JsonObject ToJson() => new() { ["text"] = Text, ["blocks"] = Blocks.DeepClone() };
}

/// <summary>
/// Renders an outgoing activity in Block Kit, because Slack shows neither Adaptive Cards nor suggested actions. The
/// cards are rendered from their own JSON, never recomputed: every number on a preview card reaches Slack as the card
/// has it. Text blocks become sections, two-column rows become sections with two fields (label, amount), submit and
/// suggested actions become buttons that carry their text and data back (<see cref="SlackButtonValue"/>), and URL
/// actions become link buttons. Slack's limits are kept: 50 blocks (buttons are never the ones dropped), 3000
/// characters a section, 10 fields, 25 buttons a row, 75 characters a button.
/// </summary>
public static class SlackBlocks
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxButtonsPerRow = 25;
    public const int MaxButtonText = 75;
    public const int MaxFallbackText = 4000;

    public static SlackMessage Render(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        List<JsonObject> content = [];
        List<JsonObject> buttons = [];
        List<string> fallback = [];
        if (!string.IsNullOrWhiteSpace(activity.Text))
        {
            var text = SlackMrkdwn.FromMarkdown(activity.Text);
            fallback.Add(text);
            foreach (var chunk in Chunks(text, MaxSectionText))
            {
                content.Add(Section(chunk));
            }
        }
        foreach (var attachment in activity.Attachments ?? [])
        {
            if (attachment.Content is not { ValueKind: JsonValueKind.Object } card)
            {
                continue;
            }
            switch (attachment.ContentType)
            {
                case ContentTypes.AdaptiveCard:
                    AddAdaptiveCard(card, content, buttons, fallback);
                    break;
                case ContentTypes.HeroCard or ContentTypes.ThumbnailCard or ContentTypes.SigninCard:
                    AddHeroCard(card, content, buttons, fallback);
                    break;
            }
        }
        foreach (var action in activity.SuggestedActions?.Actions ?? [])
        {
            if (Button(action.Type, action.Title, action.Type == ActionTypes.ImBack ? Text(action.Value) : action.Text, action.Type == ActionTypes.ImBack ? null : action.Value, action.Type == ActionTypes.OpenUrl ? Text(action.Value) : null, null) is { } button)
            {
                buttons.Add(button);
            }
        }

        var rows = buttons.Chunk(MaxButtonsPerRow).Select(row => new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. row.Select((JsonNode b) => b)]) }).ToList();
        var room = Math.Max(0, MaxBlocks - rows.Count);
        var blocks = new JsonArray();
        foreach (var block in content.Take(room))
        {
            blocks.Add(block);
        }
        foreach (var row in rows.Take(MaxBlocks))
        {
            blocks.Add(row);
        }
        // Unique action ids within the message (Slack rejects duplicates).
        var n = 0;
        foreach (var element in rows.SelectMany(row => row["elements"]!.AsArray()))
        {
            element!["action_id"] = $"b{n++}";
        }
        var fallbackText = fallback.Count > 0 ? string.Join("\n", fallback) : " ";
        return new SlackMessage(SlackMrkdwn.Limit(fallbackText, MaxFallbackText), blocks);
    }

    private static void AddHeroCard(JsonElement card, List<JsonObject> content, List<JsonObject> buttons, List<string> fallback)
    {
        var title = Str(card, "title");
        var text = Str(card, "text");
        var body = string.Join("\n", new[] { title is null ? null : $"*{SlackMrkdwn.Escape(title)}*", text is null ? null : SlackMrkdwn.FromMarkdown(text) }.Where(part => part is not null));
        if (body.Length > 0)
        {
            fallback.Add(body);
            content.Add(Section(SlackMrkdwn.Limit(body, MaxSectionText)));
        }
        if (card.TryGetProperty("buttons", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var action in list.EnumerateArray())
            {
                var type = Str(action, "type");
                JsonElement? value = action.TryGetProperty("value", out var v) ? v : null;
                var url = type is ActionTypes.OpenUrl or ActionTypes.Signin ? Text(value) : null;
                var said = type == ActionTypes.ImBack ? Text(value) : Str(action, "text");
                if (Button(type is ActionTypes.Signin ? ActionTypes.OpenUrl : type, Str(action, "title"), said, type == ActionTypes.ImBack ? null : value, url, null) is { } button)
                {
                    buttons.Add(button);
                }
            }
        }
    }

    private static void AddAdaptiveCard(JsonElement card, List<JsonObject> content, List<JsonObject> buttons, List<string> fallback)
    {
        if (card.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in body.EnumerateArray())
            {
                AddElement(element, content, fallback);
            }
        }
        if (card.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            foreach (var action in actions.EnumerateArray())
            {
                var type = Str(action, "type");
                JsonElement? data = action.TryGetProperty("data", out var d) ? d : null;
                var button = type switch
                {
                    "Action.OpenUrl" => Button(ActionTypes.OpenUrl, Str(action, "title"), null, null, Str(action, "url"), null),
                    "Action.Submit" or "Action.Execute" => Button(ActionTypes.MessageBack, Str(action, "title"), null, data, null, Str(action, "style") == "positive" ? "primary" : Str(action, "style") == "destructive" ? "danger" : null),
                    _ => null,
                };
                if (button is not null)
                {
                    buttons.Add(button);
                }
            }
        }
    }

    private static void AddElement(JsonElement element, List<JsonObject> content, List<string> fallback)
    {
        switch (Str(element, "type"))
        {
            case "TextBlock" when Str(element, "text") is { } text:
                var mrkdwn = Str(element, "weight") == "Bolder" ? $"*{SlackMrkdwn.Escape(text)}*" : SlackMrkdwn.FromMarkdown(text);
                fallback.Add(mrkdwn);
                content.Add(Section(SlackMrkdwn.Limit(mrkdwn, MaxSectionText)));
                break;
            case "Container":
                if (element.TryGetProperty("separator", out var separator) && separator.ValueKind == JsonValueKind.True)
                {
                    content.Add(new JsonObject { ["type"] = "divider" });
                }
                foreach (var item in Items(element, "items"))
                {
                    AddElement(item, content, fallback);
                }
                break;
            case "ColumnSet":
                // A row of a bill: every column's text, the first (the label) left, the last (the amount) right.
                var columns = Items(element, "columns").Select(column => string.Join("\n", Texts(column))).Where(text => text.Length > 0).ToList();
                if (columns.Count > 0)
                {
                    fallback.Add(string.Join("  ", columns));
                    content.Add(new JsonObject
                    {
                        ["type"] = "section",
                        ["fields"] = new JsonArray([.. columns.Take(MaxFields).Select(text => (JsonNode)Mrkdwn(SlackMrkdwn.Limit(text, MaxFieldText)))]),
                    });
                }
                break;
            case "FactSet":
                var facts = Items(element, "facts").Select(fact => $"*{SlackMrkdwn.Escape(Str(fact, "title") ?? string.Empty)}* {SlackMrkdwn.Escape(Str(fact, "value") ?? string.Empty)}").ToList();
                if (facts.Count > 0)
                {
                    fallback.AddRange(facts);
                    content.Add(Section(SlackMrkdwn.Limit(string.Join("\n", facts), MaxSectionText)));
                }
                break;
        }
    }

    /// <summary>The texts inside a column, the first of a bold block in bold, a subtle one in italics.</summary>
    private static IEnumerable<string> Texts(JsonElement container)
    {
        foreach (var item in Items(container, "items"))
        {
            if (Str(item, "type") == "TextBlock" && Str(item, "text") is { } text)
            {
                var escaped = SlackMrkdwn.Escape(text);
                yield return Str(item, "weight") == "Bolder" ? $"*{escaped}*" : item.TryGetProperty("isSubtle", out var subtle) && subtle.ValueKind == JsonValueKind.True ? $"_{escaped}_" : escaped;
            }
        }
    }

    private static JsonObject? Button(string? type, string? title, string? said, JsonElement? value, string? url, string? style)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SlackMrkdwn.Limit(title, MaxButtonText), ["emoji"] = false },
        };
        if (type == ActionTypes.OpenUrl)
        {
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var link) || link.Scheme is not ("https" or "http"))
            {
                return null;
            }
            button["url"] = link.AbsoluteUri;
        }
        else
        {
            // A click says what the button says (imBack) or what it was told to (messageBack); a card submit says nothing but its data.
            var carried = SlackButtonValue.Write(said ?? (value is null ? title : null), value);
            if (carried is null)
            {
                return null;
            }
            button["value"] = carried;
        }
        if (style is not null)
        {
            button["style"] = style;
        }
        return button;
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text, ["verbatim"] = true };

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var start = 0; start < text.Length; start += size)
        {
            yield return text.Substring(start, Math.Min(size, text.Length - start));
        }
    }

    private static string? Text(JsonElement? value) => value is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
