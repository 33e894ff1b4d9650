using System.Net;
using AriaBot.Handoff;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// The customer's side of a handoff: a preview waiting for its "yes" is void once a person is asked for; the
/// customer can leave; nobody waits forever (a notice, then a message for a call-back); frustration words hand over;
/// an agent hands back into one use case; without agents (or in a group) the support contact answers; and in
/// external hub mode <c>handoff.initiate</c> goes to the channel while only the hub's authenticated status counts.
/// </summary>
public sealed class HandoffConversationTests
{
    private const string HubSecret = "hub-secret-0123456789-0123456789-abcdef";

    private static string Said(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    [Fact]
    public async Task A_preview_waiting_for_its_yes_is_void_after_asking_for_a_person_and_going_back()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings());
        var chat = host.Conversation();
        await chat.SignInAsync();
        await chat.SayAsync("switch my plan");
        var preview = await chat.ClickAsync("Premium");
        Assert.Contains("Confirm", preview.Last().SuggestedActions!.Actions!.Select(action => action.Title));

        Assert.Contains("connecting you with a person", Said(await chat.SayAsync("agent")), StringComparison.Ordinal);
        // Handed off: a "yes" now goes to the agent, not to the preview.
        Assert.Empty(await chat.SayAsync("yes"));
        Assert.Contains("you're back with the assistant", Said(await chat.SayAsync("Back to the assistant")), StringComparison.Ordinal);

        var clicked = await chat.ClickAsync(preview.Last().SuggestedActions!.Actions!.First(action => action.Title == "Confirm"));
        await chat.SayAsync("yes");
        Assert.DoesNotContain("You're now on Premium", Said(clicked), StringComparison.Ordinal);
        Assert.Equal(0, host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true));
        var handoff = Assert.Single(await host.Services.GetRequiredService<HandoffStore>().ListAsync(open: true, closed: true, 100, CancellationToken.None));
        Assert.Equal(HandoffState.Left, handoff.State);
        Assert.Contains("switchPlan", handoff.Context.Dialog, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task After_the_wait_limit_the_customer_is_told_once_and_can_leave_a_message_for_a_call_back()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings());
        var customer = await DirectLineCustomer.StartAsync(host);
        await customer.SayAsync("talk to a person");
        var sweep = host.Services.GetRequiredService<WaitingSweep>();
        await sweep.SweepOnceAsync(CancellationToken.None);
        Assert.DoesNotContain("nobody from our support team is free yet", (await customer.ActivitiesAsync()).GetRawText(), StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromMinutes(6));
        await sweep.SweepOnceAsync(CancellationToken.None);
        await sweep.SweepOnceAsync(CancellationToken.None);
        var notices = (await customer.ActivitiesAsync()).EnumerateArray().Where(a => a.TryGetProperty("text", out var text) && text.GetString()!.Contains("nobody from our support team is free yet", StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(notices);
        Assert.Equal(["Keep waiting", "Leave a message", "Back to the assistant"], notice.GetProperty("suggestedActions").GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("title").GetString()));

        Assert.Contains("Please write your message", await customer.SayAsync("Leave a message"), StringComparison.Ordinal);
        Assert.Contains("someone will get back to you", await customer.SayAsync("Call me on 555 0100 after 5pm"), StringComparison.Ordinal);
        var handoff = Assert.Single(await host.Services.GetRequiredService<HandoffStore>().ListAsync(open: false, closed: true, 100, CancellationToken.None));
        Assert.Equal(HandoffState.CallBackRequested, handoff.State);
        Assert.Equal("Call me on 555 0100 after 5pm", handoff.CallBackMessage);
        Assert.Contains("Here's what I can do for you", await customer.SayAsync("help"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_hands_back_into_a_use_case_and_the_customer_starts_it_themselves()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings());
        var customer = await DirectLineCustomer.StartAsync(host);
        await customer.SayAsync("talk to a person");
        var id = (await host.Services.GetRequiredService<HandoffStore>().ActiveAsync(customer.ConversationKey, CancellationToken.None))!.Id;
        using var dana = new AgentConsole(host);
        await dana.SignInAsync("dana@example.com");
        Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync($"/agent/api/handoffs/{id}/accept")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dana.PostAsync($"/agent/api/handoffs/{id}/handback", new { useCase = "NoSuchThing" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync($"/agent/api/handoffs/{id}/handback", new { useCase = "SwitchPlan" })).StatusCode);

        var handedBack = await customer.LastFromBotAsync();
        Assert.Contains("Dana passed you back to the assistant", handedBack.GetProperty("text").GetString(), StringComparison.Ordinal);
        var button = Assert.Single(handedBack.GetProperty("suggestedActions").GetProperty("actions").EnumerateArray());
        // The customer starts the task (and would confirm any change) themselves: here it first asks them to sign in.
        Assert.Contains("sign in", await customer.SayAsync(button.GetProperty("value").GetString()!), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_prompt_that_runs_out_of_attempts_hands_the_conversation_to_a_person()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings());
        var chat = host.Conversation();
        await chat.SignInAsync();
        await chat.SayAsync("switch my plan");
        var said = "";
        for (var attempt = 0; attempt < 6 && !said.Contains("connecting you with a person", StringComparison.Ordinal); attempt++)
        {
            said = Said(await chat.SayAsync("qwzx flurb"));
        }
        Assert.Contains("connecting you with a person", said, StringComparison.Ordinal);
        var handoff = Assert.Single(await host.Services.GetRequiredService<HandoffStore>().ListAsync(open: true, closed: false, 100, CancellationToken.None));
        Assert.Equal(AriaBot.Escalation.EscalationReason.TooManyAttempts, handoff.Reason);
        Assert.NotNull(handoff.Context.AccountNo);
    }

    [Fact]
    public async Task Frustration_words_hand_the_conversation_to_a_person()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings(new() { ["Handoff:FrustrationWords:0"] = "useless" }));
        var chat = host.Conversation();
        Assert.Contains("connecting you with a person", Said(await chat.SayAsync("This is USELESS")), StringComparison.Ordinal);
        var handoff = Assert.Single(await host.Services.GetRequiredService<HandoffStore>().ListAsync(open: true, closed: false, 100, CancellationToken.None));
        Assert.Equal(AriaBot.Escalation.EscalationReason.Frustration, handoff.Reason);
    }

    [Fact]
    public async Task Without_agents_or_in_a_group_the_support_contact_answers_and_nothing_is_queued()
    {
        await using var host = new AssistantTestHost(new() { ["Handoff:Enabled"] = "true", ["SelfService:Escalation:SupportPhone"] = "+1 555 0100" });
        Assert.Contains("+1 555 0100", Said(await host.Conversation().SayAsync("talk to a person")), StringComparison.Ordinal);

        await using var staffed = new AssistantTestHost(AgentConsole.Settings(new() { ["SelfService:Escalation:SupportPhone"] = "+1 555 0100" }));
        var group = staffed.Conversation(conversationType: "groupChat", isGroup: true);
        Assert.Contains("+1 555 0100", Said(await group.SayAsync("talk to a person")), StringComparison.Ordinal);
        Assert.Empty(await staffed.Services.GetRequiredService<HandoffStore>().ListAsync(open: true, closed: true, 100, CancellationToken.None));
    }

    [Fact]
    public async Task A_customers_forged_handoff_status_changes_nothing_in_internal_mode()
    {
        await using var host = new AssistantTestHost(AgentConsole.Settings());
        var customer = await DirectLineCustomer.StartAsync(host);
        await customer.SayAsync("talk to a person");
        await customer.SendAsync(new { type = "event", name = "handoff.status", value = new { state = "completed" } });
        Assert.Equal("", await customer.SayAsync("still there?"));
        var handoff = (await host.Services.GetRequiredService<HandoffStore>().ActiveAsync(customer.ConversationKey, CancellationToken.None))!;
        Assert.Equal(HandoffState.Waiting, handoff.State);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Post, HandoffServiceCollectionExtensions.HubStatusPath, HubSecret, new { })).StatusCode);
    }

    [Fact]
    public async Task External_mode_sends_handoff_initiate_with_a_redacted_transcript_and_honours_status_only_from_the_hub()
    {
        await using var host = new AssistantTestHost(new() { ["Handoff:Enabled"] = "true", ["Handoff:Mode"] = "External", ["Handoff:HubSecret"] = HubSecret });
        var customer = await DirectLineCustomer.StartAsync(host);
        await customer.SayAsync("my card is 4111 1111 1111 1111");
        Assert.Contains("connecting you with a person", await customer.SayAsync("talk to a person"), StringComparison.Ordinal);
        var initiate = (await customer.ActivitiesAsync()).EnumerateArray().Single(a => a.GetProperty("type").GetString() == "event" && a.GetProperty("name").GetString() == "handoff.initiate");
        var transcript = initiate.GetProperty("attachments")[0];
        Assert.Equal("Transcript", transcript.GetProperty("name").GetString());
        Assert.Contains("[card number removed]", transcript.GetRawText(), StringComparison.Ordinal);
        // Not a bare "4111": the handoff id is a random run of digits that may hold it (it did once in CI).
        foreach (var form in new[] { "4111 1111", "1111 1111", "4111111111111111" })
        {
            Assert.DoesNotContain(form, initiate.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Equal("CustomerAsked", initiate.GetProperty("value").GetProperty("reason").GetString());

        // The customer's own ingress cannot end it.
        await customer.SendAsync(new { type = "event", name = "handoff.status", value = new { state = "completed" } });
        Assert.Equal("", await customer.SayAsync("hello?"));

        var status = new { type = "event", name = "handoff.status", channelId = "directline", conversation = new { id = customer.ConversationId }, value = new { state = "completed" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Post, HandoffServiceCollectionExtensions.HubStatusPath, "not-the-secret", status)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Post, HandoffServiceCollectionExtensions.HubStatusPath, null, status)).StatusCode);
        Assert.Equal("", await customer.SayAsync("hello again?"));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Post, HandoffServiceCollectionExtensions.HubStatusPath, HubSecret, status)).StatusCode);
        Assert.Contains("What can I help you with?", (await customer.LastFromBotAsync()).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Here's what I can do for you", await customer.SayAsync("help"), StringComparison.Ordinal);
        var record = Assert.Single(await host.Services.GetRequiredService<HandoffStore>().ListAsync(open: false, closed: true, 100, CancellationToken.None));
        Assert.Equal(HandoffState.Completed, record.State);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Post, HandoffServiceCollectionExtensions.HubStatusPath, HubSecret, status)).StatusCode);
    }
}
