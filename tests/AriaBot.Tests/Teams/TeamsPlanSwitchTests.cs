using System.Net;
using System.Text.Json;
using BotRuntime.Schema;

namespace AriaBot.Tests.Teams;

/// <summary>
/// Issue 19's end-to-end proof: a whole plan switch in a Teams personal chat, every activity posted to
/// <c>/api/messages</c> with a signed channel JWT and every reply delivered to a stand-in Teams connector — with the
/// same preview as Web Chat shows, a 429 from the connector retried once and delivered once, the preview's buttons
/// answered only by the person they were shown to, and the card updated once pressed.
/// </summary>
public sealed class TeamsPlanSwitchTests
{
    private const string Personal = "a:1personal-chat-with-ana";
    private const long Alice = 1000001;
    private const long Standard = 12;

    [Fact]
    public async Task A_plan_switch_in_a_personal_chat_shows_Web_Chats_preview_survives_a_429_and_writes_once()
    {
        await using var teams = await TeamsChat.StartAsync();
        var host = teams.Host;

        // The same customer's preview in Web Chat (declined there), to compare with what Teams shows.
        var web = host.Conversation(userId: "web-ana", conversationId: "web-1");
        await web.SignInAsync();
        await web.SayAsync("switch my plan");
        var webPreview = PreviewBody(await web.SayAsync("Premium"));
        await web.SayAsync("no");
        Assert.Equal(0, Writes(host));

        // Teams: the request first, then sign-in by link (Teams' link preview GETs it first; a GET never consumes it).
        var asked = await teams.SayAsync(teams.Message("switch my plan", Personal));
        var link = AssistantTestHost.LinkIn(asked.Single(reply => reply.Attachments is { Count: > 0 }));
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.GetAsync(host.NewBrowser(), link)).Status);
        var page = await AssistantTestHost.SignInOnPageAsync(host.NewBrowser(), link);
        Assert.NotNull(page.Code);
        await teams.SayAsync(teams.Message(page.Code, Personal));

        var previewReplies = await teams.SayAsync(teams.Message("Premium", Personal));
        var previewReply = previewReplies.Single(reply => reply.Attachments?.Exists(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
        Assert.Equal(webPreview, PreviewBody(previewReplies));
        Assert.Contains("Switch from Standard to Premium", TeamsChat.Texts(previewReplies), StringComparison.Ordinal);
        // Teams posts only a suggested action's text: Confirm and Cancel ride on a hero card, carrying the preview id.
        Assert.Null(previewReply.SuggestedActions);
        var confirm = previewReply.Attachments!.Where(a => a.ContentType == ContentTypes.HeroCard)
            .SelectMany(a => a.ContentAs<HeroCard>()!.Buttons!).First(button => button.Type == ActionTypes.MessageBack && button.Title == "Confirm");
        var cardId = teams.Connector.Delivered.Last(r => r.Activity!.Attachments?.Exists(a => a.ContentType == ContentTypes.AdaptiveCard) == true).ResponseId!;

        // Someone else pressing it changes nothing.
        var foreign = Press(teams, confirm, cardId, "29:ben");
        Assert.Contains("belong to the person I showed them to", TeamsChat.Texts(await teams.SayAsync(foreign)), StringComparison.Ordinal);
        Assert.Equal(0, Writes(host));
        Assert.Empty(teams.Connector.Updates);

        // Ana presses Confirm; the connector throttles the reply once.
        teams.Connector.ThrottleNext();
        var attemptsBefore = teams.Connector.Requests.Count(r => r.Method == "POST");
        var done = await teams.SayAsync(Press(teams, confirm, cardId, "29:ana"));
        Assert.Contains("You're now on Premium", TeamsChat.Texts(done), StringComparison.Ordinal);
        Assert.Equal(1, Writes(host));
        var posts = teams.Connector.Requests.Where(r => r.Method == "POST").Skip(attemptsBefore).ToList();
        Assert.Equal(429, posts[0].Status);
        Assert.Equal(posts[0].Activity!.Text, posts[1].Activity!.Text);
        Assert.Single(teams.Connector.Delivered, r => TeamsChat.Texts([r.Activity!]).Contains("You're now on Premium", StringComparison.Ordinal));
        Assert.All(teams.Connector.Requests, r => Assert.Equal("Bearer teams-test-token", r.Authorization));

        // The pressed card was replaced by one without answering buttons, the preview's numbers kept.
        var update = Assert.Single(teams.Connector.Updates);
        Assert.EndsWith("/activities/" + cardId, update.Path, StringComparison.Ordinal);
        Assert.DoesNotContain(update.Activity!.Attachments!, a => a.ContentType == ContentTypes.HeroCard && a.ContentAs<HeroCard>()!.Buttons?.Exists(b => b.Type == ActionTypes.MessageBack) == true);
        Assert.Equal(webPreview, PreviewBody([update.Activity]));
        Assert.NotEqual(Standard, host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanNo);

        // A second press of the same (now updated) card is not a second write.
        await teams.SayAsync(Press(teams, confirm, cardId, "29:ana"));
        Assert.Equal(1, Writes(host));
    }

    /// <summary>What Teams posts when a messageBack button is pressed: its text and value, in reply to the card's message.</summary>
    private static Activity Press(TeamsChat teams, CardAction button, string cardId, string userId)
    {
        var press = teams.Message(button.Text ?? string.Empty, Personal, userId: userId);
        press.Value = button.Value;
        press.ReplyToId = cardId;
        return press;
    }

    /// <summary>The preview card's body (its lines, totals, dates) without the actions, whose preview ids differ.</summary>
    private static string PreviewBody(IEnumerable<Activity> replies)
    {
        var card = replies.SelectMany(reply => reply.Attachments ?? []).Single(a => a.ContentType == ContentTypes.AdaptiveCard).Content!.Value;
        var body = card.GetProperty("body").EnumerateArray().Where(e => !(e.TryGetProperty("isSubtle", out var s) && s.GetBoolean())).Select(e => e.GetRawText());
        return string.Join("\n", body);
    }

    private static int Writes(AssistantTestHost host) => host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);
}
