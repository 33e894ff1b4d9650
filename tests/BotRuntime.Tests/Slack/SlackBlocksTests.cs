using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Schema;
using BotRuntime.Slack;

namespace BotRuntime.Tests.Slack;

public sealed class SlackBlocksTests
{
    [Theory]
    [InlineData("<!channel> switch", "&lt;!channel&gt; switch")]
    [InlineData("Plan <@U123|boss> & co", "Plan &lt;@U123|boss&gt; &amp; co")]
    [InlineData("<https://evil.example|Premium>", "&lt;https://evil.example|Premium&gt;")]
    public void Names_from_Aria_or_customers_cannot_mention_or_link(string name, string expected)
    {
        var message = SlackBlocks.Render(MessageFactory.Text($"You're on {name}."));

        var section = message.Blocks[0]!["text"]!["text"]!.GetValue<string>();
        Assert.Equal($"You're on {expected}.", section);
        Assert.DoesNotContain("<!", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bots_own_markdown_links_and_bold_become_mrkdwn()
    {
        Assert.Equal("See <https://example.com/terms|the *terms*> and *this*", SlackMrkdwn.FromMarkdown("See [the *terms*](https://example.com/terms) and **this**"));
        Assert.Equal("[x](javascript:alert(1))", SlackMrkdwn.FromMarkdown("[x](javascript:alert(1))"));
    }

    [Fact]
    public void Suggested_actions_become_buttons_that_carry_their_text_and_value_back()
    {
        var activity = MessageFactory.Text("Confirm?");
        activity.SuggestedActions = new SuggestedActions
        {
            Actions =
            [
                CardAction.ImBack("Premium", "Premium"),
                CardAction.MessageBack("Confirm", "Confirm", new { action = "confirmChange", previewId = "p1" }, "Confirm"),
            ],
        };

        var buttons = SlackBlocks.Render(activity).Blocks.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();

        Assert.True(SlackButtonValue.TryRead(buttons[0]!["value"]!.GetValue<string>(), out var text, out var value));
        Assert.Equal("Premium", text);
        Assert.Null(value);
        Assert.True(SlackButtonValue.TryRead(buttons[1]!["value"]!.GetValue<string>(), out text, out value));
        Assert.Equal("Confirm", text);
        Assert.Equal("p1", value!.Value.GetProperty("previewId").GetString());
        Assert.NotEqual(buttons[0]!["action_id"]!.GetValue<string>(), buttons[1]!["action_id"]!.GetValue<string>());
    }

    [Fact]
    public void Slacks_limits_are_kept_and_buttons_are_never_the_blocks_dropped()
    {
        var activity = MessageFactory.Text(new string('x', 10_000));
        var body = new JsonArray();
        for (var i = 0; i < 80; i++)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"line {i}" });
        }
        var card = new JsonObject { ["type"] = "AdaptiveCard", ["body"] = body, ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.Submit", ["title"] = "Confirm", ["data"] = new JsonObject { ["action"] = "confirmChange" } } } };
        activity.Attachments = [Attachment.AdaptiveCard(card.ToJsonString())];
        activity.SuggestedActions = new SuggestedActions { Actions = [.. Enumerable.Range(0, 30).Select(i => CardAction.ImBack(new string('p', 100) + i, $"p{i}"))] };

        var message = SlackBlocks.Render(activity);

        Assert.True(message.Blocks.Count <= SlackBlocks.MaxBlocks);
        Assert.True(message.Text.Length <= SlackBlocks.MaxFallbackText);
        var rows = message.Blocks.Where(b => b!["type"]!.GetValue<string>() == "actions").ToList();
        Assert.Equal(31, rows.Sum(row => row!["elements"]!.AsArray().Count));
        Assert.All(rows, row => Assert.True(row!["elements"]!.AsArray().Count <= SlackBlocks.MaxButtonsPerRow));
        Assert.All(rows.SelectMany(row => row!["elements"]!.AsArray()), button => Assert.True(button!["text"]!["text"]!.GetValue<string>().Length <= SlackBlocks.MaxButtonText));
        Assert.All(message.Blocks.Where(b => b!["text"] is not null), b => Assert.True(b!["text"]!["text"]!.GetValue<string>().Length <= SlackBlocks.MaxSectionText));
    }

    [Fact]
    public void The_signature_is_checked_over_the_raw_body_and_the_clock()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"event_callback\"}");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var signature = SlackSignature.Compute("secret", "1700000000", body);

        Assert.Null(SlackSignature.Check("secret", "1700000000", signature, body, now, TimeSpan.FromMinutes(5)));
        Assert.NotNull(SlackSignature.Check("secret", "1700000000", signature, Encoding.UTF8.GetBytes("{\"type\":\"event_callback\" }"), now, TimeSpan.FromMinutes(5)));
        Assert.NotNull(SlackSignature.Check("secret", "1700000000", signature, body, now.AddMinutes(5).AddSeconds(1), TimeSpan.FromMinutes(5)));
        Assert.NotNull(SlackSignature.Check("secret", "17e8", signature, body, now, TimeSpan.FromMinutes(5)));
        Assert.NotNull(SlackSignature.Check("secret", "1700000000", signature.ToUpperInvariant(), body, now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_click_is_read_back_as_the_text_and_value_it_carries()
    {
        var payload = JsonDocument.Parse("""
            {"type":"block_actions","api_app_id":"A1","team":{"id":"T1"},"user":{"id":"U1"},"channel":{"id":"D1"},
             "container":{"thread_ts":"1.2"},"actions":[{"value":"{\"t\":\"Confirm\",\"v\":{\"previewId\":\"p1\"}}","action_ts":"9.9"}]}
            """).RootElement;

        var incoming = SlackEventMapper.FromInteraction(payload)!;

        Assert.Equal("Confirm", incoming.Activity.Text);
        Assert.Equal("p1", incoming.Activity.Value!.Value.GetProperty("previewId").GetString());
        Assert.Equal("T1:D1", incoming.Activity.Conversation!.Id);
        Assert.Equal("U1:T1", incoming.Activity.From!.Id);
        Assert.False(incoming.Activity.Conversation.IsGroup);
        Assert.Equal("1.2", incoming.ThreadTs);
    }
}
