using Aria.Sandbox.Events;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// Issue 25's "must show", against the sandbox's own event notifications: a customer opts in on web chat and on Teams,
/// queues an add-on for the anniversary, simulated time passes it (the admin clock endpoint), the sandbox POSTs its §13
/// documents to the bot's receiver, the queued change applies; the Teams stand-in receives the notice proactively and
/// the customer, opening the web chat again signed in, sees it with its button, whose turn validates the session first.
/// </summary>
public sealed class SandboxEndToEndTests
{
    private const long Alice = 1000001;

    /// <summary>Carries the sandbox's outgoing POSTs to the bot host's in-memory server (there is no socket to reach).</summary>
    private sealed class ToHost : HttpMessageHandler
    {
        public AssistantTestHost? Host { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A request message can be sent once: the host's client gets a copy.
            using var copy = new HttpRequestMessage(request.Method, request.RequestUri);
            if (request.Content is not null)
            {
                copy.Content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(cancellationToken));
                copy.Content.Headers.ContentType = request.Content.Headers.ContentType;
            }
            return await Host!.Client.SendAsync(copy, cancellationToken);
        }
    }

    [Fact]
    public async Task A_queued_change_applied_at_the_anniversary_reaches_teams_at_once_and_the_web_chat_when_it_next_opens_signed_in()
    {
        var toHost = new ToHost();
        await using var teams = await RecordingBotConnector.StartAsync();
        await using var host = new AssistantTestHost(new()
        {
            ["Aria:SandboxEvents:Url"] = "http://localhost/api/aria/events",
            ["SelfService:PlanChanges:AssignmentDirective"] = "1",
            // The bot's clock stands still while the sandbox's moves: no quiet hours, so the Teams notice goes at once.
            ["Notifications:QuietHoursStart"] = "00:00:00",
            ["Notifications:QuietHoursEnd"] = "00:00:00",
        }, services => services.AddHttpClient("AriaSandboxEvents").ConfigurePrimaryHttpMessageHandler(() => toHost));
        toHost.Host = host;

        // Opted in on web chat (signed in) and in a Teams personal chat.
        var web = host.Conversation();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        Assert.Contains(AssistantConversation.Texts(await web.SayAsync("notify me about my account here")), text => text.Contains("next time you open the chat", StringComparison.Ordinal));
        var teamsChat = new AssistantConversation(host, new TestAdapterOptions
        {
            ChannelId = Channels.Msteams, ServiceUrl = teams.ServiceUrl, UserId = "29:alice", ConversationId = "a:personal-alice",
            ConversationType = "personal", Locale = "en-US", TimeProvider = host.Time,
        });
        await host.BindDirectlyAsync(new BindingKey(Channels.Msteams, "a:personal-alice", "29:alice"));
        Assert.Contains(AssistantConversation.Texts(await teamsChat.SayAsync("notify me about my account here")), text => text.Contains("I'll message you here", StringComparison.Ordinal));

        // An add-on queued for the anniversary (the sandbox emits 721: remembered, not told).
        await web.SayAsync("add 2 extra storage");
        await web.ClickAsync("Confirm");
        await DeliveredAsync(host);
        Assert.Contains(host.Sandbox.Events, e => e.EventId == 721);
        Assert.Empty(teams.Requests);

        // Simulated time passes the anniversary: the queue runs (725), the period bills (901).
        var nextBill = host.Sandbox.PlanInstances(Alice).First(p => p.IsMaster).NextBillDate;
        var days = nextBill.DayNumber - DateOnly.FromDateTime(host.Sandbox.Clock.GetUtcNow().UtcDateTime).DayNumber + 1;
        var advanced = await host.Client.PostAsync("/aria-sandbox/admin/clock/advance", new StringContent($"{{\"days\":{days}}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(advanced.IsSuccessStatusCode, await advanced.Content.ReadAsStringAsync());
        await DeliveredAsync(host);
        Assert.Contains(host.Sandbox.Events, e => e.EventId == 725);
        Assert.Equal(2, host.Sandbox.PlanInstances(Alice).Count);

        // Teams hears at once, proactively, only the kind and one button.
        Assert.Contains(teams.Delivered, notice => notice.Text == "A plan change you asked for has now taken effect."
            && notice.SuggestedActions!.Actions!.Single().Title == "See what changed");
        Assert.DoesNotContain(teams.Delivered, notice => notice.Text!.Contains("Storage", StringComparison.Ordinal));

        // The web chat opens again (the old session expired with the days that passed; the portal signs in anew).
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo2", "user1"));
        var again = host.Conversation(conversationId: "convo2");
        var opened = await again.OpenAsync();
        var notice = Assert.Single(opened, reply => reply.Text == "A plan change you asked for has now taken effect.");
        Assert.Equal("See what changed", notice.SuggestedActions!.Actions!.Single().Title);
        Assert.Contains(opened, reply => reply.Text == "You have a new invoice.");

        var before = host.Sandbox.Calls.All.Count;
        var shown = await again.ClickAsync(notice.SuggestedActions!.Actions!.Single());
        var calls = host.Sandbox.Calls.All.Skip(before).Select(call => call.RestCall).ToList();
        var validation = calls.IndexOf("validate_session_m");
        Assert.True(validation >= 0, string.Join(", ", calls));
        Assert.All(calls.Take(validation), call => Assert.True(call.StartsWith("get_client_", StringComparison.Ordinal) || call == "keep_alive_m", call));
        // The details come from Aria in this turn (the account summary card), never from the event.
        Assert.Contains(shown, reply => System.Text.Json.JsonSerializer.Serialize(reply.Attachments, BotJson.Options).Contains("Extra Storage", StringComparison.Ordinal));
    }

    /// <summary>Waits until the sandbox has delivered every document, then runs the bot's outbox to the end.</summary>
    private static async Task DeliveredAsync(AssistantTestHost host)
    {
        for (var i = 0; i < 400 && host.Sandbox.Events.Any(e => e.Status == SandboxEventStatus.Pending); i++)
        {
            await Task.Delay(25);
        }
        Assert.All(host.Sandbox.Events, e => Assert.Equal(SandboxEventStatus.Delivered, e.Status));
        await AriaEvents.SettleAsync(host);
    }
}
