using System.Net;
using System.Text.Json;
using BotRuntime.Connector;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Teams;

/// <summary>
/// Teams-shaped activities through <c>/api/messages</c> with valid channel JWTs, replies recorded by the stand-in
/// Teams connector: @mentions, privacy in group chats and channels, cards where suggested actions do not show,
/// the welcome on install, an invoke, and the tenant allow-list (also for proactive sends).
/// </summary>
public sealed class TeamsConversationTests
{
    private const string GroupChat = "19:meeting_group-chat@thread.v2";
    private const string ChannelThread = "19:general-channel@thread.tacv2;messageid=1700000000000";

    [Theory]
    [InlineData(GroupChat, "groupChat")]
    [InlineData(ChannelThread, "channel")]
    public async Task In_a_group_chat_or_channel_an_account_request_shows_nothing_of_the_account_and_links_the_personal_chat(string conversationId, string type)
    {
        await using var teams = await TeamsChat.StartAsync();
        // The app is not installed for this user: the bot cannot open the 1:1 chat itself.
        teams.Connector.RefuseConversations = true;
        var calls = teams.Host.Sandbox.Calls.All.Count;

        var request = teams.Mentioning("switch my plan", conversationId, type);
        var replies = await teams.SayAsync(request);

        var text = TeamsChat.Texts(replies);
        // Understood (the mention did not get in the way), and refused for privacy.
        Assert.Contains("only help with your account in a one-to-one chat", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/signin?state=", text, StringComparison.Ordinal);
        var offer = replies.SelectMany(r => r.Attachments ?? []).Select(a => a.ContentAs<HeroCard>()).Single(card => card?.Buttons?.Exists(b => b.Type == ActionTypes.OpenUrl) == true)!;
        Assert.Equal("https://teams.microsoft.com/l/chat/0/0?users=" + Uri.EscapeDataString(TeamsChat.BotId), offer.Buttons!.Single().Value!.Value.GetString());
        // No session was looked for, no account read: nothing but the catalogue (which is no one's) reached Aria.
        Assert.DoesNotContain(teams.Host.Sandbox.Calls.All.Skip(calls), call => !call.RestCall.StartsWith("get_client_", StringComparison.Ordinal));
        // Replies go into the thread they answer (channel ids keep ;messageid=, and reply to the activity).
        Assert.All(teams.Connector.Delivered, r => Assert.Equal($"/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{request.Id}", r.Path));
    }

    [Fact]
    public async Task Where_the_app_is_installed_for_the_user_the_bot_opens_the_personal_chat_itself_and_says_so_in_the_group()
    {
        await using var teams = await TeamsChat.StartAsync();
        var calls = teams.Host.Sandbox.Calls.All.Count;

        var inGroup = await teams.SayAsync(teams.Mentioning("switch my plan", GroupChat, "groupChat"));

        Assert.Contains("I've sent you a private message", TeamsChat.Texts(inGroup), StringComparison.Ordinal);
        var created = teams.Connector.Requests.Single(r => r.Path == "/v3/conversations");
        Assert.Equal("Bearer teams-test-token", created.Authorization);
        var hello = Assert.Single(teams.Connector.Delivered, r => r.Path.StartsWith($"/v3/conversations/{Uri.EscapeDataString(created.ResponseId!)}/activities", StringComparison.Ordinal));
        Assert.Equal("29:ana", hello.Activity!.Recipient!.Id);
        Assert.Equal(TeamsChat.TenantA, hello.Activity.Conversation!.TenantId);
        Assert.Contains("only you can see your account", hello.Activity.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(teams.Host.Sandbox.Calls.All.Skip(calls), call => !call.RestCall.StartsWith("get_client_", StringComparison.Ordinal));

        // The user answers there: a personal chat, served as any other.
        var there = await teams.SayAsync(teams.Message("switch my plan", created.ResponseId!));
        Assert.Contains("/signin?state=", TeamsChat.Texts(there), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bots_own_mention_is_removed_case_insensitively_and_others_are_kept()
    {
        var activity = new Activity
        {
            Text = "<AT>ariabot</AT> ask <at>Ben</at> later",
            Recipient = new ChannelAccount { Id = TeamsChat.BotId },
            Entities =
            [
                new Entity { Type = "mention", Properties = new() { ["text"] = JsonSerializer.SerializeToElement("<at>AriaBot</at>"), ["mentioned"] = JsonSerializer.SerializeToElement(new { id = TeamsChat.BotId }) } },
                new Entity { Type = "mention", Properties = new() { ["text"] = JsonSerializer.SerializeToElement("<at>Ben</at>"), ["mentioned"] = JsonSerializer.SerializeToElement(new { id = "29:ben" }) } },
            ],
        };
        Assert.True(BotRuntime.Teams.TeamsActivity.StripBotMention(activity));
        Assert.Equal("ask <at>Ben</at> later", activity.Text);
    }

    [Fact]
    public async Task Installed_in_a_group_chat_it_welcomes_with_the_menu_as_hero_card_buttons()
    {
        await using var teams = await TeamsChat.StartAsync();
        var install = teams.Message("", GroupChat, "groupChat");
        install.Type = ActivityTypes.ConversationUpdate;
        install.Text = null;
        install.MembersAdded = [new ChannelAccount { Id = TeamsChat.BotId }];

        var replies = await teams.SayAsync(install);

        Assert.Contains("I'm your billing assistant", TeamsChat.Texts(replies), StringComparison.Ordinal);
        Assert.All(replies, reply => Assert.Null(reply.SuggestedActions));
        var buttons = replies.SelectMany(r => r.Attachments ?? []).Where(a => a.ContentType == ContentTypes.HeroCard).SelectMany(a => a.ContentAs<HeroCard>()!.Buttons!).ToList();
        Assert.Contains(buttons, b => b.Type == ActionTypes.ImBack && b.Title == "Switch my plan");
        Assert.All(replies.SelectMany(r => r.Attachments ?? []).Where(a => a.ContentType == ContentTypes.HeroCard), a => Assert.True(a.ContentAs<HeroCard>()!.Buttons!.Count <= 6));
    }

    [Fact]
    public async Task An_adaptiveCard_action_invoke_gets_an_invoke_response_and_its_data_is_the_answer()
    {
        await using var teams = await TeamsChat.StartAsync();
        var invoke = teams.Message("", "a:1personal-chat-with-ana");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Name = "adaptiveCard/action";
        invoke.Text = null;
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb = "ask", data = "switch my plan" } });

        var response = await teams.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.activity.message", body.GetProperty("type").GetString());
        // "switch my plan" ran: the customer is asked to sign in first.
        Assert.Contains("/signin?state=", TeamsChat.Texts(teams.Connector.Delivered.Select(r => r.Activity!)), StringComparison.Ordinal);

        // An invoke the bot does not handle is 501, as the SDK answers.
        var other = teams.Message("", "a:1personal-chat-with-ana");
        other.Type = ActivityTypes.Invoke;
        other.Name = "composeExtension/query";
        other.Text = null;
        Assert.Equal(HttpStatusCode.NotImplemented, (await teams.PostAsync(other)).StatusCode);
    }

    [Fact]
    public async Task Another_tenant_is_refused_politely_with_no_account_access_and_gets_no_proactive_sends()
    {
        await using var teams = await TeamsChat.StartAsync(new() { ["Teams:AllowedTenants:0"] = TeamsChat.TenantA });
        var calls = teams.Host.Sandbox.Calls.All.Count;

        var refused = await teams.SayAsync(teams.Message("switch my plan", "a:1personal-chat-of-other-tenant", tenantId: "0ther-tenant-0000-0000-000000000000"));
        var text = TeamsChat.Texts(refused);
        Assert.Contains("not available to your organization", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/signin?state=", text, StringComparison.Ordinal);
        Assert.Equal(calls, teams.Host.Sandbox.Calls.All.Count);
        // Naming no tenant at all is no way around it.
        Assert.Contains("not available to your organization", TeamsChat.Texts(await teams.SayAsync(teams.Message("hi", "a:1no-tenant", tenantId: null))), StringComparison.Ordinal);

        // The allowed tenant is served.
        Assert.Contains("/signin?state=", TeamsChat.Texts(await teams.SayAsync(teams.Message("switch my plan", "a:1personal-chat-with-ana"))), StringComparison.Ordinal);

        // Proactive sends: a stored Teams reference of another tenant gets no connector, the allowed one does.
        var factory = teams.Host.Services.GetRequiredService<BotConnectorFactory>();
        var allowed = teams.Message("x", "a:1personal-chat-with-ana").GetConversationReference();
        Assert.NotNull((await factory.ForReferenceAsync(allowed)).Connector);
        var other = teams.Message("x", "a:1personal-chat-with-ana", tenantId: "0ther-tenant-0000-0000-000000000000").GetConversationReference();
        var choice = await factory.ForReferenceAsync(other);
        Assert.Null(choice.Connector);
        Assert.Contains("Teams:AllowedTenants", choice.Refusal, StringComparison.Ordinal);
    }
}
