using AriaBot.Session;
using AriaBot.Transcripts;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Shell;

/// <summary>
/// The conversation shell through the whole assistant: greeting, menu, routing, global commands, privacy. The tests
/// share one host, each in its own conversation with its own chat user; a test that moves the clock or changes the
/// operator's settings starts its own.
/// </summary>
public sealed class ShellTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>, IAsyncLifetime
{
    private readonly AssistantTestHost _host = shared.Host;
    private readonly string _conversationId = SharedAssistantHost.NewConversationId();
    private readonly string _userId = SharedAssistantHost.NewConversationId("user");
    private AssistantConversation _chat = null!;

    private BindingKey Customer => new(Channels.Webchat, _conversationId, _userId);

    public Task InitializeAsync()
    {
        _chat = _host.Conversation(userId: _userId, conversationId: _conversationId);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string All(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    private static IReadOnlyList<string?> Buttons(IEnumerable<Activity> replies) =>
        [.. replies.Last(reply => reply.SuggestedActions is not null).SuggestedActions!.Actions!.Select(action => action.Title)];

    [Fact]
    public async Task A_signed_out_customer_is_greeted_once_with_the_enabled_sections_and_sign_in()
    {
        var greeting = await _chat.OpenAsync();
        Assert.Contains("I'll first ask you to sign in", All(greeting), StringComparison.Ordinal);
        Assert.Contains("Switch my plan", Buttons(greeting));
        Assert.Contains("Sign in", Buttons(greeting));
        Assert.Empty(await _chat.OpenAsync());
    }

    [Fact]
    public async Task A_signed_in_customer_is_greeted_by_name()
    {
        await _host.BindDirectlyAsync(Customer);
        var greeting = await _chat.OpenAsync();
        Assert.Contains("Hi Alice!", All(greeting), StringComparison.Ordinal);
        Assert.DoesNotContain("Sign in", Buttons(greeting));
    }

    [Fact]
    public async Task A_section_the_operator_switched_off_is_not_offered_and_is_declined_when_asked()
    {
        await using var host = new AssistantTestHost(new() { ["SelfService:Sections:Plans"] = "false" });
        var chat = host.Conversation();
        await host.BindDirectlyAsync(Customer);
        var greeting = await chat.OpenAsync();
        Assert.DoesNotContain("Switch my plan", Buttons(greeting));
        var asked = await chat.SayAsync("switch my plan");
        Assert.Contains("can't help with", All(asked), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_an_account_task_signed_out_leads_through_sign_in_and_carries_on()
    {
        var asked = await _chat.SayAsync("switch my plan");
        var link = AssistantTestHost.LinkIn(asked.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link);
        var resumed = await _chat.SayAsync(page.Code!);
        Assert.Contains("You're on Standard", All(resumed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_session_mid_task_leads_to_sign_in_and_then_resumes_the_same_question()
    {
        // Its own host: it moves the clock past every session's lifetime.
        await using var host = new AssistantTestHost();
        var chat = host.Conversation(userId: _userId, conversationId: _conversationId);
        await host.BindDirectlyAsync(Customer);
        var asked = await chat.SayAsync("switch my plan");
        Assert.Contains("Which plan would you like", All(asked), StringComparison.Ordinal);
        host.Time.Advance(TimeSpan.FromMinutes(31));

        var expired = await chat.ClickAsync("Premium");
        Assert.Contains("expired", All(expired), StringComparison.OrdinalIgnoreCase);
        var link = AssistantTestHost.LinkIn(expired.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(host.NewBrowser(), link);
        var resumed = await chat.SayAsync(page.Code!);
        Assert.Contains("Which plan would you like", All(resumed), StringComparison.Ordinal);
        Assert.Contains(resumed, reply => reply.SuggestedActions?.Actions?.Any(a => a.Title == "Premium") == true);
    }

    [Fact]
    public async Task Help_in_a_task_is_about_that_task_and_the_question_is_asked_again()
    {
        await _host.BindDirectlyAsync(Customer);
        await _chat.SayAsync("switch my plan");
        var help = await _chat.SayAsync("help");
        Assert.Contains("We're in the middle of this: Switch my plan", All(help), StringComparison.Ordinal);
        Assert.Contains("Which plan would you like", All(help), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_outside_a_task_lists_what_the_assistant_can_do()
    {
        var help = await _chat.SayAsync("what can you do");
        Assert.Contains("Here's what I can do for you: Switch my plan", All(help), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ends_the_task_with_nothing_changed_but_cancel_my_plan_is_not_a_cancel()
    {
        await _host.BindDirectlyAsync(Customer);
        await _chat.SayAsync("switch my plan");
        var notACommand = await _chat.SayAsync("cancel my plan");
        Assert.DoesNotContain("I've stopped", All(notACommand), StringComparison.Ordinal);
        Assert.Contains("pick one of the plans", All(notACommand), StringComparison.Ordinal);

        var cancelled = await _chat.SayAsync("never mind");
        Assert.Contains("I've stopped. Nothing was changed", All(cancelled), StringComparison.Ordinal);
        Assert.Contains("anything else", All(cancelled), StringComparison.Ordinal);
        Assert.Equal(12, _host.Sandbox.PlanInstances(1000001).Single(i => i.ParentPlanInstanceNo is null).PlanNo);
    }

    [Fact]
    public async Task Cancel_with_nothing_in_progress_says_so()
    {
        await _chat.SayAsync("hello");
        Assert.Contains("nothing in progress", All(await _chat.SayAsync("cancel")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_over_ends_the_task_and_shows_the_menu()
    {
        await _host.BindDirectlyAsync(Customer);
        await _chat.SayAsync("switch my plan");
        var restarted = await _chat.SayAsync("start over");
        Assert.Contains("let's start over", All(restarted), StringComparison.Ordinal);
        Assert.Contains("What can I help you with?", All(restarted), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Talk_to_a_person_says_honestly_how_to_reach_support()
    {
        var replies = await _chat.SayAsync("talk to a person");
        var text = All(replies);
        Assert.Contains("support team", text, StringComparison.Ordinal);
        Assert.Contains("+1 555 0100", text, StringComparison.Ordinal);
        Assert.Contains("support@example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_ends_the_Aria_session_and_the_binding()
    {
        var sessionId = await _host.BindDirectlyAsync(Customer);
        var replies = await _chat.SayAsync("sign out");
        Assert.Contains("You're signed out", All(replies), StringComparison.Ordinal);
        Assert.False(_host.IsSessionLive(sessionId));
        Assert.Null(await _host.Bindings.GetAsync(Customer));
        var again = await _chat.SayAsync("switch my plan");
        Assert.Contains(again, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.HeroCard) == true);
    }

    [Fact]
    public async Task A_group_conversation_never_handles_account_tasks()
    {
        var group = _host.Conversation(userId: _userId, conversationId: "19:team@thread.tacv2", channelId: Channels.Msteams, conversationType: "channel", isGroup: true);
        var replies = await group.SayAsync("switch my plan");
        Assert.Contains("one-to-one chat", All(replies), StringComparison.Ordinal);
        // No account card and no sign-in link; the menu's buttons come as hero cards, where Teams shows no suggested actions.
        Assert.DoesNotContain(replies, reply => reply.Attachments?.Exists(a => a.ContentType != ContentTypes.HeroCard || a.Content!.Value.GetRawText().Contains("/signin", StringComparison.Ordinal)) == true);
    }

    [Fact]
    public async Task A_card_number_typed_into_chat_is_refused_not_echoed_and_kept_out_of_the_transcript()
    {
        await _host.BindDirectlyAsync(Customer);
        await _chat.SayAsync("switch my plan");
        var replies = await _chat.SayAsync("here is my card 4111 1111 1111 1111");
        Assert.Contains("don't type card numbers", All(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("4111", All(_chat.Said), StringComparison.Ordinal);
        var transcript = await _host.Services.GetRequiredService<ITranscriptStore>().ReadAsync($"webchat/{_conversationId}");
        Assert.DoesNotContain(transcript, line => line.Text?.Contains("1111", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(_host.Logs.GetSnapshot(), record => record.Message.Contains("4111 1111", StringComparison.Ordinal));

        // The question is still waiting: the secret was not taken as an answer.
        var next = await _chat.ClickAsync("Premium");
        Assert.Contains(next, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
    }

    [Fact]
    public async Task A_password_typed_into_chat_is_refused_and_never_repeated()
    {
        var replies = await _chat.SayAsync("my password is Tr0ub4dor&3");
        Assert.Contains("don't type card numbers or passwords", All(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor", All(_chat.Said), StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Logs.GetSnapshot(), record => record.Message.Contains("Tr0ub4dor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Something_not_understood_twice_offers_a_person()
    {
        var first = await _chat.SayAsync("blorp zzk quux");
        Assert.Contains("didn't catch that", All(first), StringComparison.Ordinal);
        var second = await _chat.SayAsync("flibber jabber");
        Assert.Contains("talk to a person", All(second), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Talk to a person", Buttons(second));
    }

    [Fact]
    public async Task A_task_the_assistant_cannot_do_in_chat_is_declined_honestly()
    {
        // Payments are in the chat unless the operator switches their section off, as here.
        await using var host = new AssistantTestHost(new() { ["SelfService:Sections:Payments"] = "false" });
        var replies = await host.Conversation().SayAsync("I want to pay my bill");
        Assert.Contains("can't help with", All(replies), StringComparison.Ordinal);
        Assert.Equal(0, host.Sandbox.Calls.Count("get_acct_details_all_m"));
    }

    [Fact]
    public async Task The_shell_speaks_Spanish_to_Spanish_locales()
    {
        var chat = _host.Conversation(userId: _userId, conversationId: _conversationId + "-es", locale: "es-ES");
        var greeting = await chat.OpenAsync();
        Assert.Contains("Soy tu asistente de facturación", All(greeting), StringComparison.Ordinal);
        Assert.Contains("Cambiar de plan", Buttons(greeting));
        var help = await chat.SayAsync("ayuda");
        Assert.Contains("Esto es lo que puedo hacer por ti", All(help), StringComparison.Ordinal);
    }
}
