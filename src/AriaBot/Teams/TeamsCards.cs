using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Schema;

namespace AriaBot.Teams;

/// <summary>
/// The cards the bot posted in Teams with buttons that answer it (<c>Action.Submit</c>, <c>Action.Execute</c>,
/// messageBack/imBack/postBack), and how each looks once answered: the same card without those buttons, so a second
/// press is impossible, links (terms, sign-in) kept.
/// </summary>
internal static class TeamsCards
{
    private static readonly HashSet<string> AnsweringAdaptiveActions = new(StringComparer.Ordinal) { "Action.Submit", "Action.Execute" };
    private static readonly HashSet<string> AnsweringHeroActions = new(StringComparer.Ordinal) { ActionTypes.MessageBack, ActionTypes.ImBack, ActionTypes.PostBack };

    /// <summary>True when one of the reply's cards carries a button whose press comes back to the bot.</summary>
    public static bool HasAnsweringButtons(Activity reply) =>
        reply.Attachments?.Exists(attachment => attachment.ContentType switch
        {
            ContentTypes.AdaptiveCard => attachment.Content is { ValueKind: JsonValueKind.Object } card
                && card.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array
                && actions.EnumerateArray().Any(IsAnsweringAdaptiveAction),
            ContentTypes.HeroCard => attachment.ContentAs<HeroCard>()?.Buttons?.Exists(button => AnsweringHeroActions.Contains(button.Type ?? string.Empty)) == true,
            _ => false,
        }) == true;

    /// <summary>The reply's cards without their answering buttons, with <paramref name="answered"/> added to each.</summary>
    public static List<Attachment> Answered(IEnumerable<Attachment> attachments, string answered) =>
        [.. attachments.Select(attachment => attachment.ContentType switch
        {
            ContentTypes.AdaptiveCard when attachment.Content is { ValueKind: JsonValueKind.Object } content => AnsweredAdaptive(content, answered),
            ContentTypes.HeroCard when attachment.ContentAs<HeroCard>() is { } hero => AnsweredHero(hero, answered),
            _ => attachment,
        })];

    private static bool IsAnsweringAdaptiveAction(JsonElement action) =>
        action.ValueKind == JsonValueKind.Object && action.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && AnsweringAdaptiveActions.Contains(type.GetString()!);

    private static Attachment AnsweredAdaptive(JsonElement content, string answered)
    {
        var card = JsonNode.Parse(content.GetRawText())!.AsObject();
        if (card["actions"] is JsonArray actions)
        {
            foreach (var action in actions.Where(a => a is JsonObject o && o["type"]?.GetValue<string>() is { } t && AnsweringAdaptiveActions.Contains(t)).ToList())
            {
                actions.Remove(action);
            }
        }
        if (card["body"] is JsonArray body)
        {
            foreach (var set in body.Where(element => element is JsonObject o && o["type"]?.GetValue<string>() == "ActionSet").ToList())
            {
                body.Remove(set);
            }
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = answered, ["isSubtle"] = true, ["wrap"] = true });
        }
        return Attachment.AdaptiveCard(card.ToJsonString(BotJson.Options));
    }

    private static Attachment AnsweredHero(HeroCard hero, string answered)
    {
        hero.Buttons = hero.Buttons?.Where(button => !AnsweringHeroActions.Contains(button.Type ?? string.Empty)).ToList();
        hero.Text = string.IsNullOrEmpty(hero.Text) ? answered : $"{hero.Text}\n\n{answered}";
        return hero.ToAttachment();
    }
}
