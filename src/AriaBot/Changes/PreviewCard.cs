using System.Text.Json.Nodes;
using AriaBot.Language;
using BotRuntime.Schema;

namespace AriaBot.Changes;

/// <summary>
/// Renders a preview as an Adaptive Card: Aria's lines, the totals, when it takes effect, what else happens,
/// and the Terms and Conditions link. Confirm and Cancel ride on the card itself only where the channel cannot
/// show suggested actions; both carry the preview id so that a click on an old card is recognised as stale.
/// </summary>
public static class PreviewCard
{
    public const string ConfirmAction = "confirmChange";
    public const string DeclineAction = "declineChange";

    public static Attachment Build(PreviewSummary preview, string title, string previewId, string termsUrl, IWords words, string? locale, bool withButtons)
    {
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(words);
        string Money(decimal amount) => WordsFormat.Money(amount, preview.Currency, locale);

        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (preview.Fields is { Count: > 0 } fields)
        {
            body.Add(PreviewFieldsBlock.Build(fields));
        }
        else
        {
            if (preview.Lines.Count > 0)
            {
                body.Add(Rows(preview.Lines.Select(line => new Row(line.Description, line.Period, Money(line.Amount)))));
            }
            List<Row> totals = [];
            if (preview.TotalBeforeTax is { } beforeTax && preview.Tax is not null)
            {
                totals.Add(new Row(words.Format(ChangeWords.TotalBeforeTax, locale), null, Money(beforeTax)));
            }
            if (preview.Tax is { } tax)
            {
                totals.Add(new Row(words.Format(ChangeWords.Tax, locale), null, Money(tax)));
            }
            totals.Add(preview.Total < 0 ? new Row(words.Format(ChangeWords.CreditNow, locale), null, Money(-preview.Total), Bold: true)
                : preview.BilledLater ? new Row(words.Format(ChangeWords.TotalLater, locale), null, Money(preview.Total), Bold: true)
                : new Row(words.Format(ChangeWords.TotalNow, locale), null, Money(preview.Total), Bold: true));
            var totalRows = Rows(totals);
            totalRows["separator"] = true;
            body.Add(totalRows);
        }
        if (preview.Effective is { } when)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = words.Format(ChangeWords.Effective, locale, new { when }), ["wrap"] = true, ["spacing"] = "Small" });
        }
        foreach (var consequence in preview.Consequences)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"• {consequence}", ["wrap"] = true, ["spacing"] = "None" });
        }

        var actions = new JsonArray
        {
            new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = words.Format(ChangeWords.Terms, locale), ["url"] = termsUrl },
        };
        if (withButtons)
        {
            actions.Add(new JsonObject { ["type"] = "Action.Submit", ["title"] = words.Format(ChangeWords.ConfirmButton, locale), ["style"] = "positive", ["data"] = new JsonObject { ["action"] = ConfirmAction, ["previewId"] = previewId } });
            actions.Add(new JsonObject { ["type"] = "Action.Submit", ["title"] = words.Format(ChangeWords.CancelButton, locale), ["data"] = new JsonObject { ["action"] = DeclineAction, ["previewId"] = previewId } });
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["speak"] = title,
            ["body"] = body,
            ["actions"] = actions,
        };
        return Attachment.AdaptiveCard(card.ToJsonString(BotJson.Options));
    }

    /// <summary>True when the activity is a click on a preview's Confirm or Cancel (card action or suggested action), whichever preview.</summary>
    public static bool IsAnswer(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Value is { ValueKind: System.Text.Json.JsonValueKind.Object } value
            && value.TryGetProperty("action", out var action) && action.ValueKind == System.Text.Json.JsonValueKind.String
            && action.GetString() is ConfirmAction or DeclineAction;
    }

    /// <summary>The suggested actions under the card: messageBack buttons carrying the preview id.</summary>
    public static IReadOnlyList<CardAction> SuggestedActions(string previewId, IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(words);
        var confirm = words.Format(ChangeWords.ConfirmButton, locale);
        var cancel = words.Format(ChangeWords.CancelButton, locale);
        return
        [
            CardAction.MessageBack(confirm, confirm, new { action = ConfirmAction, previewId }, confirm),
            CardAction.MessageBack(cancel, cancel, new { action = DeclineAction, previewId }, cancel),
        ];
    }

    /// <summary>One line of the bill: what (and for which period, smaller beneath), and the amount.</summary>
    private sealed record Row(string Label, string? Period, string Amount, bool Bold = false);

    /// <summary>
    /// Lines as two-column rows, not a FactSet: a FactSet gives labels a narrow column, so a description with its period
    /// wraps over five lines in a chat-width card, and its values cannot be right-aligned as amounts on a bill are.
    /// </summary>
    private static JsonObject Rows(IEnumerable<Row> rows) => new()
    {
        ["type"] = "Container",
        ["items"] = new JsonArray([.. rows.Select(row =>
        {
            var label = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = row.Label, ["wrap"] = true, ["weight"] = row.Bold ? "Bolder" : "Default" } };
            if (row.Period is not null)
            {
                label.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = row.Period, ["wrap"] = true, ["isSubtle"] = true, ["size"] = "Small", ["spacing"] = "None" });
            }
            return (JsonNode)new JsonObject
            {
                ["type"] = "ColumnSet",
                ["spacing"] = "Small",
                ["columns"] = new JsonArray
                {
                    new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = label },
                    new JsonObject
                    {
                        ["type"] = "Column",
                        ["width"] = "auto",
                        ["items"] = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = row.Amount, ["horizontalAlignment"] = "Right", ["weight"] = row.Bold ? "Bolder" : "Default" } },
                    },
                },
            };
        })]),
    };
}
