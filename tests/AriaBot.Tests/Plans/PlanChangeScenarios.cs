using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AriaBot.Audit;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

/// <summary>
/// What every plan change must show (issue 6), turn by turn against the sandbox: the preview first and one write after
/// confirm; "no" writes nothing; a session that expires between preview and confirmation writes nothing and offers
/// sign-in, then a fresh preview; a confirmation delivered twice writes once and an old preview's button writes
/// nothing; a lost reply is settled by reading the account (one write, the truth told); a crash between Aria's commit
/// and the state save is settled on the next "yes" without a second write; a refused write and a blocked account in
/// plain words. Every write leaves exactly one audit row. Each flow's test class says how to reach its preview and
/// how the sandbox shows the change; the scenarios are the same for all.
/// </summary>
public abstract class PlanChangeScenarios : IAsyncLifetime
{
    private AssistantTestHost? _host;
    private AssistantConversation? _chat;

    /// <summary>
    /// The flow's host with its customer signed in to convo1/user1, started on first use: the tests that need other
    /// settings build a host of their own and never touch this one, so they start one host instead of two.
    /// </summary>
    internal AssistantTestHost Host => _host ??= StartSignedIn();

    internal AssistantConversation Chat => _chat ??= Host.Conversation();

    private AssistantTestHost StartSignedIn()
    {
        var host = new AssistantTestHost(services: services =>
        {
            // The real intents, behind a switch that can make their first completion fail: the crash after Aria's commit.
            services.AddCrashAfterWrite();
        });
        _host = host;
        // Signed in as the host starts (as before it was lazy), so that a test's first look at the sandbox's calls or
        // clock already includes it. A property cannot await; the sign-in runs on the pool, so blocking cannot deadlock.
        Task.Run(() => host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), UserId, $"{UserId}-demo-1")).GetAwaiter().GetResult();
        return host;
    }

    /// <summary>The Aria call the flow writes with.</summary>
    protected abstract string RestCall { get; }

    protected abstract string UserId { get; }

    protected abstract long AccountNo { get; }

    /// <summary>What the customer types, in order, to get the preview card (the last message's replies hold it).</summary>
    protected abstract IReadOnlyList<string> ToPreview { get; }

    /// <summary>True when the sandbox's account shows the change.</summary>
    protected abstract bool Applied();

    /// <summary>What the bot says once the change is made.</summary>
    protected abstract string DoneText { get; }

    /// <summary>What dave (blocked status: 1049) types to get as far as the preview.</summary>
    protected abstract IReadOnlyList<string> DaveToPreview { get; }

    protected const long Dave = 1000004;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Another conversation, signed in to <paramref name="ariaUser"/> (default: this flow's customer).</summary>
    internal async Task<AssistantConversation> SignedInAsync(string conversationId, string? ariaUser = null, string userId = "user1", string locale = "en-US")
    {
        var chat = Host.Conversation(userId: userId, conversationId: conversationId, locale: locale);
        var user = ariaUser ?? UserId;
        await Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, conversationId, userId), user, $"{user}-demo-1");
        return chat;
    }

    /// <summary>Writes Aria accepted (a refused retry of a lost write does not count).</summary>
    protected int Writes() => Host.Sandbox.Calls.All.Count(call => call.RestCall == RestCall && call.DoWrite == true && call.ErrorCode == 0);

    protected int WriteAttempts() => Host.Sandbox.Calls.All.Count(call => call.RestCall == RestCall && call.DoWrite == true);

    protected int Previews() => Host.Sandbox.Calls.All.Count(call => call.RestCall == RestCall && call.DoWrite == false);

    protected Task<IReadOnlyList<AuditEntry>> AuditAsync(long? accountNo = null) => Host.Services.GetRequiredService<IAuditLog>().ReadAsync(accountNo ?? AccountNo);

    internal async Task<IReadOnlyList<Activity>> PreviewAsync(AssistantConversation? chat = null, IReadOnlyList<string>? messages = null)
    {
        IReadOnlyList<Activity> replies = [];
        foreach (var message in messages ?? ToPreview)
        {
            replies = await (chat ?? Chat).SayAsync(message);
        }
        Assert.True(CardOf(replies) is not null, $"No preview card; the bot said: {Said(replies)}");
        return replies;
    }

    internal static string Said(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    /// <summary>The Adaptive Card of the preview in <paramref name="replies"/>, as JSON text, or null.</summary>
    internal static string? CardOf(IEnumerable<Activity> replies) =>
        replies.SelectMany(reply => reply.Attachments ?? []).FirstOrDefault(card => card.ContentType == ContentTypes.AdaptiveCard)?.Content?.GetRawText();

    /// <summary>The preview id the Confirm button of <paramref name="replies"/> carries.</summary>
    internal static string PreviewIdOf(IEnumerable<Activity> replies)
    {
        var confirm = replies.SelectMany(reply => reply.SuggestedActions?.Actions ?? [])
            .Single(action => action.Value is { ValueKind: JsonValueKind.Object } value && value.GetProperty("action").GetString() == "confirmChange");
        return confirm.Value!.Value.GetProperty("previewId").GetString()!;
    }

    [Fact]
    public async Task The_preview_writes_nothing_and_confirm_writes_once_with_one_audit_row()
    {
        var preview = await PreviewAsync();
        var card = CardOf(preview)!;
        Assert.Contains("Terms and Conditions", card, StringComparison.Ordinal);
        Assert.Contains("Action.OpenUrl", card, StringComparison.Ordinal);
        Assert.Contains("Shall I go ahead?", Said(preview), StringComparison.Ordinal);
        Assert.True(Previews() >= 1);
        Assert.Equal(0, WriteAttempts());
        Assert.False(Applied());

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains(DoneText, Said(done), StringComparison.Ordinal);
        Assert.True(Applied());
        Assert.Equal(1, WriteAttempts());
        var row = Assert.Single(await AuditAsync());
        Assert.Equal(AuditOutcome.Committed, row.Outcome);
        Assert.Equal(RestCall, row.Call);
        Assert.NotNull(row.PreviewTotal);
    }

    [Fact]
    public async Task No_at_the_confirmation_writes_nothing()
    {
        await PreviewAsync();
        var declined = await Chat.SayAsync("no");
        Assert.Contains("I haven't changed anything", Said(declined), StringComparison.Ordinal);
        Assert.False(Applied());
        Assert.Equal(0, WriteAttempts());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task The_cards_cancel_button_declines_this_preview()
    {
        await PreviewAsync();
        var declined = await Chat.ClickAsync("Cancel");
        Assert.Contains("I haven't changed anything", Said(declined), StringComparison.Ordinal);
        Assert.False(Applied());
        Assert.Equal(0, WriteAttempts());
    }

    [Fact]
    public async Task An_old_cards_button_after_the_confirmation_ended_writes_nothing_and_says_so()
    {
        var old = await PreviewAsync();
        await Chat.SayAsync("no");

        // As Web Chat posts the suggested action (text and value), and as an Adaptive Card submit (value only).
        var clicked = await Chat.ClickAsync(old.SelectMany(reply => reply.SuggestedActions?.Actions ?? []).First(action => action.Title == "Confirm"));
        Assert.Contains("belongs to a preview that's no longer open", Said(clicked), StringComparison.Ordinal);
        var submitted = await Chat.SubmitAsync(new { action = "confirmChange", previewId = PreviewIdOf(old) });
        Assert.Contains("belongs to a preview that's no longer open", Said(submitted), StringComparison.Ordinal);

        Assert.False(Applied());
        Assert.Equal(0, WriteAttempts());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task A_yes_that_is_not_only_a_yes_confirms_nothing()
    {
        await PreviewAsync();
        var unclear = await Chat.SayAsync("yes but make it cheaper");
        Assert.Contains("Please answer just \"yes\" or \"no\"", Said(unclear), StringComparison.Ordinal);
        Assert.Equal(0, WriteAttempts());

        var done = await Chat.SayAsync("yes");
        Assert.Contains(DoneText, Said(done), StringComparison.Ordinal);
        Assert.Equal(1, Writes());
    }

    [Fact]
    public async Task A_session_that_expires_before_the_confirmation_writes_nothing_offers_sign_in_and_resumes_with_a_fresh_preview()
    {
        var first = await PreviewAsync();
        // Past the sandbox client's 30-minute session lifetime.
        Host.Time.Advance(TimeSpan.FromMinutes(31));

        var confirm = await Chat.ClickAsync("Confirm");
        Assert.Equal(0, WriteAttempts());
        var link = AssistantTestHost.LinkIn(confirm.First(reply => reply.Attachments is { Count: > 0 }));

        var page = await AssistantTestHost.SignInOnPageAsync(Host.NewBrowser(), link, UserId, $"{UserId}-demo-1");
        var resumed = await Chat.SayAsync(page.Code!);
        Assert.NotNull(CardOf(resumed));
        Assert.NotEqual(PreviewIdOf(first), PreviewIdOf(resumed));
        Assert.Equal(0, WriteAttempts());

        // The card shown before the sign-in is an old one now.
        var stale = await Chat.SubmitAsync(new { action = "confirmChange", previewId = PreviewIdOf(first) });
        Assert.Contains("belongs to an earlier preview", Said(stale), StringComparison.Ordinal);
        Assert.Equal(0, WriteAttempts());

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains(DoneText, Said(done), StringComparison.Ordinal);
        Assert.True(Applied());
        Assert.Equal(1, WriteAttempts());
    }

    [Fact]
    public async Task A_confirmation_delivered_twice_to_the_real_endpoint_writes_once()
    {
        const string conversation = "http-convo";
        const string user = "http-user";
        await Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, conversation, user), UserId, $"{UserId}-demo-1");
        List<Activity> preview = [];
        var n = 0;
        foreach (var message in ToPreview)
        {
            preview = await PostAsync(Message($"m{++n}", conversation, user, message));
        }
        Assert.NotNull(CardOf(preview));

        var confirm = Message("confirm-1", conversation, user, "Confirm");
        confirm.Value = JsonSerializer.SerializeToElement(new { action = "confirmChange", previewId = PreviewIdOf(preview) });
        var first = await PostAsync(confirm);
        var again = await PostAsync(confirm);

        Assert.Contains(DoneText, Said(first), StringComparison.Ordinal);
        Assert.Equal(Said(first), Said(again));
        Assert.True(Applied());
        Assert.Equal(1, WriteAttempts());
        Assert.Single(await AuditAsync());
    }

    [Fact]
    public async Task An_old_previews_button_writes_nothing_and_says_so()
    {
        var old = await PreviewAsync();
        await Chat.SayAsync("no");
        var current = await PreviewAsync();
        Assert.NotEqual(PreviewIdOf(old), PreviewIdOf(current));

        var stale = await Chat.SubmitAsync(new { action = "confirmChange", previewId = PreviewIdOf(old) });
        Assert.Contains("belongs to an earlier preview", Said(stale), StringComparison.Ordinal);
        Assert.False(Applied());
        Assert.Equal(0, WriteAttempts());

        // The current preview still stands.
        var done = await Chat.SubmitAsync(new { action = "confirmChange", previewId = PreviewIdOf(current) });
        Assert.Contains(DoneText, Said(done), StringComparison.Ordinal);
        Assert.Equal(1, Writes());
    }

    [Fact]
    public async Task A_write_whose_reply_is_lost_is_proven_by_reading_the_account_and_never_repeated()
    {
        await PreviewAsync();
        Host.Sandbox.Faults.LoseResponseNext(RestCall);

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains(DoneText, Said(done), StringComparison.Ordinal);
        Assert.True(Applied());
        // The client's own retry carries the same receipt id, so Aria refuses it: one write.
        Assert.Equal(1, Writes());
        var row = Assert.Single(await AuditAsync());
        Assert.Equal(AuditOutcome.Committed, row.Outcome);
    }

    [Fact]
    public async Task A_crash_after_the_write_and_before_the_save_is_settled_by_the_next_yes_without_writing_again()
    {
        await PreviewAsync();
        Host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => Chat.ClickAsync("Confirm"));
        Assert.True(Applied());
        Assert.Equal(1, WriteAttempts());

        // The process restarts: the same conversation, from the state saved before the crash.
        var restarted = Host.Conversation();
        var again = await restarted.SayAsync("yes");
        Assert.Contains("your earlier request went through", Said(again), StringComparison.Ordinal);
        Assert.Equal(1, WriteAttempts());
        Assert.Single(await AuditAsync());

        // And a "yes" after that still writes nothing.
        await restarted.SayAsync("yes");
        Assert.Equal(1, WriteAttempts());
    }

    [Fact]
    public async Task A_write_aria_refuses_changes_nothing_says_why_and_leaves_one_audit_row()
    {
        await PreviewAsync();
        Host.Sandbox.Faults.FailNext(RestCall, 1049);

        var refused = await Chat.ClickAsync("Confirm");
        Assert.Contains("current status doesn't allow this change", Said(refused), StringComparison.Ordinal);
        Assert.False(Applied());
        Assert.Equal(0, Writes());
        var row = Assert.Single(await AuditAsync());
        Assert.Equal(AuditOutcome.Rejected, row.Outcome);
        Assert.Equal(1049, row.AriaErrorCode);
    }

    [Fact]
    public async Task Aria_down_at_the_preview_is_said_in_plain_words_and_nothing_is_written()
    {
        var messages = ToPreview.ToList();
        foreach (var message in messages.Take(messages.Count - 1))
        {
            await Chat.SayAsync(message);
        }
        Host.Sandbox.Faults.HttpStatusNext(RestCall, 503, count: 5);
        var replies = await Chat.SayAsync(messages[^1]);
        Assert.Contains("I can't reach the billing system right now", Said(replies), StringComparison.Ordinal);
        Assert.Null(CardOf(replies));
        Assert.Equal(0, Writes());
        Assert.False(Applied());
    }

    [Theory]
    [InlineData("2", "didn't go through, and nothing was changed", AuditOutcome.Failed)]
    [InlineData(null, "I couldn't confirm whether your earlier request went through", AuditOutcome.Unknown)]
    public async Task Aria_too_slow_at_the_write_is_settled_by_reading_the_account_and_the_truth_told(string? directive, string told, AuditOutcome audited)
    {
        // Shorter Aria timeouts, so that the write's three attempts (two retries) time out within about a second and a
        // half. The calls before it (preview) and after it (the account read that settles it) are not faulted and are
        // retried as well, so one slow attempt of theirs on a loaded machine still succeeds. The directive decides
        // whether an unchanged account proves "not applied" (2: applies at once) or proves nothing (the default).
        await using var host = new AssistantTestHost(new Dictionary<string, string?>
        {
            ["Aria:AttemptTimeout"] = "00:00:00.500",
            ["Aria:TotalTimeout"] = "00:00:10",
            ["SelfService:PlanChanges:AssignmentDirective"] = directive,
        });
        var chat = host.Conversation();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), UserId, $"{UserId}-demo-1");
        await PreviewAsync(chat);
        host.Sandbox.Faults.TimeoutNext(RestCall, count: 5);

        var replies = await chat.ClickAsync("Confirm");
        Assert.Contains(told, Said(replies), StringComparison.Ordinal);
        Assert.DoesNotContain(DoneText, Said(replies), StringComparison.Ordinal);
        var row = Assert.Single(await host.Services.GetRequiredService<IAuditLog>().ReadAsync(AccountNo));
        Assert.Equal(audited, row.Outcome);

        // Nothing is retried on the customer's behalf, not even on the next message.
        host.Sandbox.Faults.Clear();
        await chat.SayAsync("yes");
        Assert.Equal(0, host.Sandbox.Calls.All.Count(call => call.RestCall == RestCall && call.DoWrite == true && call.ErrorCode == 0));
    }

    [Fact]
    public async Task A_blocked_account_hears_that_its_status_does_not_allow_the_change()
    {
        var dave = await SignedInAsync("dave-convo", "dave");
        IReadOnlyList<Activity> replies = [];
        foreach (var message in DaveToPreview)
        {
            replies = await dave.SayAsync(message);
        }
        Assert.Contains("current status doesn't allow this change", Said(replies), StringComparison.Ordinal);
        Assert.Null(CardOf(replies));
        Assert.Equal(0, WriteAttempts());
        Assert.Empty(await AuditAsync(Dave));
    }

    private static Activity Message(string id, string conversation, string user, string text) => new()
    {
        Type = ActivityTypes.Message,
        Id = id,
        ChannelId = Channels.Webchat,
        ServiceUrl = "http://localhost/",
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = user, Name = "Customer" },
        Recipient = new ChannelAccount { Id = "bot", Name = "AriaBot" },
        Locale = "en-US",
        Text = text,
        DeliveryMode = DeliveryModes.ExpectReplies,
    };

    /// <summary>Posts to the real <c>/api/messages</c> (anonymous in Development) and returns the replies from the body.</summary>
    private async Task<List<Activity>> PostAsync(Activity activity)
    {
        using var content = new StringContent(JsonSerializer.Serialize(activity, BotJson.Options), Encoding.UTF8, "application/json");
        using var response = await Host.Client.PostAsync(new Uri("/api/messages", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"/api/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options))!.Activities;
    }
}
