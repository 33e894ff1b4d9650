using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace AriaBot.Tests.Slack;

/// <summary>
/// A whole plan switch in a Slack DM against the Slack stand-in: alice (on Standard) picks Premium with a button, sees
/// the preview as Block Kit with the numbers Web Chat shows for the same change, and one Confirm click writes once.
/// </summary>
public sealed partial class SlackPlanSwitchTests : SlackTestBase
{
    [Fact]
    public async Task The_preview_shows_Web_Chats_numbers_and_the_confirm_click_writes_once()
    {
        // Web Chat first, at the same instant: the card every number must match.
        var web = Host.Conversation(userId: "web-user", conversationId: "web-convo");
        await web.SignInAsync();
        await web.SayAsync("switch my plan");
        var webPreview = await web.ClickAsync("Premium");
        var card = Assert.Single(webPreview.SelectMany(reply => reply.Attachments ?? []), a => a.ContentType == ContentTypes.AdaptiveCard).Content!.Value;
        var cardTexts = TextBlocks(card).ToList();
        Assert.Equal(0, WriteAttempts());

        await Host.BindDirectlyAsync(DmCustomer);
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(NextMessage("switch my plan"))).StatusCode);
        await WaitForTurnsAsync();
        var offer = Slack.Posts.Last(post => Buttons(post).Any(b => b["text"]!["text"]!.GetValue<string>() == "Premium"));
        var before = Slack.Posts.Count;

        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(offer, "Premium")).StatusCode);
        await WaitForTurnsAsync();
        var preview = Slack.Posts.Skip(before).Single(post => Buttons(post).Any(b => b["text"]!["text"]!.GetValue<string>() == "Confirm"));
        var shown = Shown(preview);
        Assert.All(cardTexts, text => Assert.Contains(text, shown, StringComparison.Ordinal));
        Assert.Equal(Amounts(string.Join("\n", cardTexts)), Amounts(shown));
        Assert.NotEmpty(Amounts(shown));
        var terms = Assert.Single(Buttons(preview), b => b["url"] is not null);
        Assert.Equal("https://www.example.com/nimbus/terms", terms["url"]!.GetValue<string>());
        Assert.Equal(0, WriteAttempts());

        before = Slack.Posts.Count;
        const string clickTs = "1700000300.000001";
        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(preview, "Confirm", clickTs)).StatusCode);
        // Slack retrying the same click, and a second click on the same (now answered) preview.
        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(preview, "Confirm", clickTs)).StatusCode);
        await WaitForTurnsAsync();
        Assert.Contains(Slack.Posts.Skip(before), post => Shown(post).Contains("You're now on Premium", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(preview, "Confirm")).StatusCode);
        await WaitForTurnsAsync();

        Assert.Equal(1, WriteAttempts());
        Assert.Equal(13, Host.Sandbox.PlanInstances(1000001).Single(i => i.ParentPlanInstanceNo is null).PlanNo);
    }

    [Fact]
    public async Task A_mention_in_a_channel_offers_a_DM_and_shows_nothing_of_the_account()
    {
        await Host.BindDirectlyAsync(DmCustomer);
        var mention = new JsonObject
        {
            ["team_id"] = "T1",
            ["api_app_id"] = "A1",
            ["type"] = "event_callback",
            ["event_id"] = "EvChannel1",
            ["event_time"] = 1700000000,
            ["event"] = new JsonObject { ["type"] = "app_mention", ["channel"] = "C1", ["user"] = "U1", ["text"] = "<@UBOT> what plan am I on?", ["ts"] = "1700000400.000001" },
        };
        var ariaCalls = Host.Sandbox.Calls.All.Count;

        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(mention)).StatusCode);
        await WaitForTurnsAsync();

        Assert.Equal(ariaCalls, Host.Sandbox.Calls.All.Count);
        var inChannel = Assert.Single(Slack.Posts, post => post["channel"]!.GetValue<string>() == "C1");
        Assert.Contains("direct message", Shown(inChannel), StringComparison.Ordinal);
        var open = Assert.Single(Buttons(inChannel));
        Assert.Equal("https://slack.com/app_redirect?app=A1&team=T1", open["url"]!.GetValue<string>());
        Assert.Single(Slack.Calls, call => call.Method == "conversations.open" && call.Body["users"]!.GetValue<string>() == "U1");
        Assert.Single(Slack.Posts, post => post["channel"]!.GetValue<string>() == "DOPENED1");
        Assert.DoesNotContain(Slack.Posts, post => post.ToJsonString().Contains("Standard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_card_number_typed_in_a_DM_is_stored_and_logged_nowhere_in_clear()
    {
        Slack.HoldPosts();
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(NextMessage("my card is 4111 1111 1111 1111"))).StatusCode);
        // While the turn runs (its reply held by Slack), the inbox entry and everything else stored is redacted.
        await SlackWebApiStandIn.WaitUntilAsync(() => Slack.Timeline.Contains("held"), "the turn's reply");
        await AssertNowhereAsync();
        Slack.Release();
        await WaitForTurnsAsync();
        await AssertNowhereAsync();
        Assert.DoesNotContain(Slack.Posts, post => post.ToJsonString().Contains("1111", StringComparison.Ordinal));
    }

    private async Task AssertNowhereAsync()
    {
        var everything = await StoredText.AllAsync(Host.Storage);
        Assert.DoesNotContain("4111 1111 1111 1111", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("4111111111111111", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Logs.GetSnapshot(), record => record.Message.Contains("4111 1111", StringComparison.Ordinal));
    }

    private static IEnumerable<string> TextBlocks(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out var type) && type.GetString() == "TextBlock" && element.TryGetProperty("text", out var text))
            {
                yield return text.GetString()!;
            }
            foreach (var property in element.EnumerateObject())
            {
                foreach (var inner in TextBlocks(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in TextBlocks(item))
                {
                    yield return inner;
                }
            }
        }
    }

    private static List<string> Amounts(string text) => [.. AmountPattern().Matches(text).Select(match => match.Value)];

    [GeneratedRegex(@"-?\$-?[0-9,]+\.[0-9]{2}")]
    private static partial Regex AmountPattern();
}
