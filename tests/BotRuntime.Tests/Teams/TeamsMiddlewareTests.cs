using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.Teams;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Teams;

/// <summary>How <see cref="TeamsMiddleware"/> fits replies and activities to Teams (bot-protocol.md §6).</summary>
public sealed class TeamsMiddlewareTests
{
    private static TestAdapter Teams(string conversationType) => new(new TestAdapterOptions
    {
        ChannelId = Channels.Msteams,
        ConversationType = conversationType,
        BotId = "28:bot-app-id",
    }, new TeamsMiddleware());

    private static async Task<Activity> ReplyWithAsync(TestAdapter adapter, params CardAction[] actions)
    {
        await adapter.ProcessActivityAsync(adapter.MakeActivity("hi"), (turn, token) =>
            turn.SendActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "Pick one", SuggestedActions = new SuggestedActions { Actions = [.. actions] } }, token));
        return adapter.GetNextReply()!;
    }

    private static List<CardAction> HeroButtons(Activity reply) =>
        [.. (reply.Attachments ?? []).Where(a => a.ContentType == ContentTypes.HeroCard).SelectMany(a => a.ContentAs<HeroCard>()!.Buttons!)];

    [Fact]
    public async Task Up_to_three_imBack_suggestions_stay_suggested_actions_in_a_personal_chat()
    {
        var reply = await ReplyWithAsync(Teams("personal"), CardAction.ImBack("A"), CardAction.ImBack("B"), CardAction.ImBack("C"));
        Assert.Equal(3, reply.SuggestedActions!.Actions!.Count);
        Assert.Null(reply.Attachments);
    }

    [Theory]
    [InlineData("personal", 4)]
    [InlineData("groupChat", 2)]
    [InlineData("channel", 1)]
    public async Task Suggestions_Teams_would_not_show_become_hero_card_buttons(string conversationType, int count)
    {
        var actions = Enumerable.Range(1, count).Select(i => CardAction.ImBack($"Option {i}")).ToArray();
        var reply = await ReplyWithAsync(Teams(conversationType), actions);
        Assert.Null(reply.SuggestedActions);
        Assert.Equal(actions.Select(a => a.Title), HeroButtons(reply).Select(b => b.Title));
        Assert.Equal("Pick one", reply.Text);
    }

    [Fact]
    public async Task A_suggestion_that_carries_a_value_goes_on_a_card_so_the_value_reaches_the_bot()
    {
        var reply = await ReplyWithAsync(Teams("personal"), CardAction.MessageBack("Confirm", "Confirm", new { previewId = "p1" }, "Confirm"), CardAction.ImBack("No"));
        Assert.Null(reply.SuggestedActions);
        Assert.Equal("p1", HeroButtons(reply)[0].Value!.Value.GetProperty("previewId").GetString());
    }

    [Fact]
    public async Task Seven_choices_make_two_cards_as_a_Teams_hero_card_holds_six_buttons()
    {
        var reply = await ReplyWithAsync(Teams("groupChat"), [.. Enumerable.Range(1, 7).Select(i => CardAction.ImBack($"{i}"))]);
        Assert.Equal([6, 1], reply.Attachments!.Select(a => a.ContentAs<HeroCard>()!.Buttons!.Count));
    }

    [Fact]
    public async Task Other_channels_are_left_alone()
    {
        var adapter = new TestAdapter(new TestAdapterOptions { ChannelId = Channels.Slack }, new TeamsMiddleware());
        var reply = await ReplyWithAsync(adapter, CardAction.ImBack("A"));
        Assert.Single(reply.SuggestedActions!.Actions!);
    }

    [Fact]
    public async Task The_bot_sees_the_text_without_its_mention_and_the_tenant_on_the_conversation()
    {
        var adapter = Teams("groupChat");
        var activity = adapter.MakeActivity("<at>Aria Bot</at> switch my plan");
        activity.Entities = [new Entity { Type = "mention", Properties = new() { ["mentioned"] = JsonSerializer.SerializeToElement(new { id = "28:bot-app-id", name = "Aria Bot" }) } }];
        activity.ChannelData = JsonSerializer.SerializeToElement(new { tenant = new { id = "tenant-1" } });
        string? seen = null;
        string? tenant = null;
        await adapter.ProcessActivityAsync(activity, (turn, _) =>
        {
            (seen, tenant) = (turn.Activity.Text, turn.Activity.Conversation!.TenantId);
            return Task.CompletedTask;
        });
        // The entity had no text: its <at>name</at> form was removed.
        Assert.Equal("switch my plan", seen);
        Assert.Equal("tenant-1", tenant);
    }

    [Fact]
    public async Task An_adaptiveCard_action_invoke_is_answered_and_runs_as_a_message_with_its_data()
    {
        var adapter = Teams("personal");
        var invoke = new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", data = new { choice = "premium" } } }),
        };
        string? typeSeen = null;
        string? choice = null;
        InvokeResponse? response = null;
        await adapter.ProcessActivityAsync(invoke, (turn, _) =>
        {
            typeSeen = turn.Activity.Type;
            choice = turn.Activity.Value!.Value.GetProperty("choice").GetString();
            response = turn.TurnState.Get<InvokeResponse>(ActivityHandler.InvokeResponseKey);
            return Task.CompletedTask;
        });
        Assert.Equal(ActivityTypes.Message, typeSeen);
        Assert.Equal("premium", choice);
        Assert.Equal(200, response!.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", response.Body!.Value.GetProperty("type").GetString());
        // Afterwards the activity is the invoke again, so the runtime answers the HTTP request with the invoke response.
        Assert.Equal(ActivityTypes.Invoke, invoke.Type);
    }
}
