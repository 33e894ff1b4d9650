using System.Text;
using System.Text.Json.Nodes;
using BotRuntime.Schema;

namespace AriaBot.Account;

/// <summary>One line of an account card: what, a smaller detail beneath it (a date, a status), and an amount.</summary>
public sealed record CardRow(string Label, string? Detail = null, string? Value = null);

/// <summary>A link under the card (an Action.OpenUrl; a "title: url" line in text).</summary>
public sealed record CardLink(string Title, Uri Url);

/// <summary>A group of rows under an optional heading ("Plans", "Payment methods").</summary>
public sealed record CardSection(string? Heading, IReadOnlyList<CardRow> Rows);

/// <summary>
/// What the account overview and each history show: a title, sections of rows and an optional closing line. Rendered
/// as an Adaptive Card where the channel shows one (Web Chat, Teams) and as plain lines elsewhere (Slack, SMS-like
/// channels), from the same model, so both say the same thing.
/// </summary>
public sealed record AccountCard(string Title, IReadOnlyList<CardSection> Sections, string? Footer = null)
{
    /// <summary>Links shown under the card (statement links).</summary>
    public IReadOnlyList<CardLink> Links { get; init; } = [];

    /// <summary>Channels that render Adaptive Cards; everything else gets the text.</summary>
    public static bool ShowsCards(Activity inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return inbound.ChannelId is Channels.DirectLine or Channels.Webchat or Channels.Emulator or Channels.Test or Channels.Msteams;
    }

    /// <summary>The reply for <paramref name="inbound"/>'s channel: the card (with the title as its text, for transcripts and screen readers) or the plain text.</summary>
    public Activity ToActivity(Activity inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        if (!ShowsCards(inbound))
        {
            return MessageFactory.Text(ToText());
        }
        var reply = MessageFactory.Attachment(Attachment.AdaptiveCard(ToCardJson()), Title);
        reply.Speak = ToText();
        return reply;
    }

    public string ToText()
    {
        var text = new StringBuilder(Title);
        foreach (var section in Sections)
        {
            text.Append('\n');
            if (section.Heading is not null)
            {
                text.Append('\n').Append(section.Heading).Append(':');
            }
            foreach (var row in section.Rows)
            {
                text.Append("\n• ").Append(row.Label);
                if (row.Detail is not null)
                {
                    text.Append(" (").Append(row.Detail).Append(')');
                }
                if (row.Value is not null)
                {
                    text.Append(": ").Append(row.Value);
                }
            }
        }
        foreach (var link in Links)
        {
            text.Append('\n').Append(link.Title).Append(": ").Append(link.Url);
        }
        if (Footer is not null)
        {
            text.Append("\n\n").Append(Footer);
        }
        return text.ToString();
    }

    public string ToCardJson()
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        foreach (var section in Sections)
        {
            if (section.Heading is not null)
            {
                body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = section.Heading, ["weight"] = "Bolder", ["wrap"] = true, ["separator"] = true });
            }
            foreach (var row in section.Rows)
            {
                body.Add(Row(row));
            }
        }
        if (Footer is not null)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = Footer, ["wrap"] = true, ["isSubtle"] = true, ["separator"] = true });
        }
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["speak"] = Title,
            ["body"] = body,
        };
        if (Links.Count > 0)
        {
            card["actions"] = new JsonArray([.. Links.Select(link => (JsonNode)new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = link.Title, ["url"] = link.Url.ToString() })]);
        }
        return card.ToJsonString(BotJson.Options);
    }

    /// <summary>A two-column row (label with its detail beneath, amount right-aligned), as on a printed bill.</summary>
    private static JsonObject Row(CardRow row)
    {
        var label = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = row.Label, ["wrap"] = true } };
        if (row.Detail is not null)
        {
            label.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = row.Detail, ["wrap"] = true, ["isSubtle"] = true, ["size"] = "Small", ["spacing"] = "None" });
        }
        var columns = new JsonArray { new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = label } };
        if (row.Value is not null)
        {
            columns.Add(new JsonObject
            {
                ["type"] = "Column",
                ["width"] = "auto",
                ["items"] = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = row.Value, ["horizontalAlignment"] = "Right" } },
            });
        }
        return new JsonObject { ["type"] = "ColumnSet", ["spacing"] = "Small", ["columns"] = columns };
    }
}
