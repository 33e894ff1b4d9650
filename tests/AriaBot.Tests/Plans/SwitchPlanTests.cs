using System.Net.Http.Json;
using System.Text.Json;
using AriaBot.Audit;
using AriaBot.Session;
using AriaBot.Understanding;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

/// <summary>Switch plan, turn by turn against the sandbox (issue 6's "must show" for this flow).</summary>
public sealed class SwitchPlanTests : IAsyncLifetime
{
    private const long Alice = 1000001;
    private const long Standard = 12;
    private const long Premium = 13;
    private static readonly BindingKey Customer = new(Channels.Webchat, "convo1", "user1");

    private AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(Customer);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private long AlicePlanNo() => _host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanNo;

    private int Writes() => _host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);

    private Task<IReadOnlyList<AuditEntry>> AuditAsync() => _host.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice);

    private static string All(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    private static Attachment CardIn(IEnumerable<Activity> replies) => Assert.Single(replies.SelectMany(reply => reply.Attachments ?? []));

    private static string PreviewIdOf(IEnumerable<Activity> replies) =>
        replies.Last(reply => reply.SuggestedActions is not null).SuggestedActions!.Actions![0].Value!.Value.GetProperty("previewId").GetString()!;

    private async Task<IReadOnlyList<Activity>> PreviewPremiumAsync()
    {
        await _chat.SayAsync("switch my plan");
        return await _chat.ClickAsync("Premium");
    }

    [Fact]
    public async Task The_preview_shows_what_Aria_computed_and_the_switch_happens_once_after_confirm()
    {
        var asked = await _chat.SayAsync("switch my plan");
        Assert.Contains("You're on Standard", All(asked), StringComparison.Ordinal);
        var offered = asked.Last().SuggestedActions!.Actions!.Select(action => action.Title).ToList();
        Assert.Contains("Premium", offered);
        Assert.DoesNotContain("Standard", offered);

        var preview = await _chat.ClickAsync("Premium");
        var card = CardIn(preview).Content!.Value;
        var text = card.GetRawText();
        Assert.Contains("Switch from Standard to Premium", text, StringComparison.Ordinal);
        Assert.Contains("Terms and Conditions", text, StringComparison.Ordinal);
        Assert.Contains("https://www.example.com/nimbus/terms", text, StringComparison.Ordinal);
        Assert.Contains("Confirm", preview.Last().SuggestedActions!.Actions!.Select(a => a.Title));
        Assert.Equal(Standard, AlicePlanNo());
        Assert.Equal(0, Writes());

        var done = await _chat.ClickAsync("Confirm");
        Assert.Contains("You're now on Premium", All(done), StringComparison.Ordinal);
        Assert.Equal(Premium, AlicePlanNo());
        Assert.Equal(1, Writes());
        var row = Assert.Single(await AuditAsync());
        Assert.Equal(AuditOutcome.Committed, row.Outcome);
        Assert.Equal("replace_acct_plan_m", row.Call);
        Assert.NotNull(row.ReceiptId);
        Assert.NotNull(row.ConfirmationActivityId);
    }

    [Fact]
    public async Task The_preview_and_the_write_carry_the_same_numbers()
    {
        var preview = await PreviewPremiumAsync();
        var facts = CardIn(preview).Content!.Value.GetRawText();
        await _chat.ClickAsync("Confirm");
        var invoice = _host.Sandbox.Invoices(Alice).OrderBy(i => i.InvoiceNo).Last();
        Assert.Contains(invoice.Lines.Sum(l => l.Amount).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), facts, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("Cancel")]
    public async Task Saying_no_at_the_confirmation_changes_nothing(string answer)
    {
        await PreviewPremiumAsync();
        var replies = answer == "Cancel" ? await _chat.ClickAsync("Cancel") : await _chat.SayAsync(answer);
        Assert.Contains("haven't changed anything", All(replies), StringComparison.Ordinal);
        Assert.Equal(Standard, AlicePlanNo());
        Assert.Equal(0, Writes());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Only_a_whole_utterance_yes_confirms_when_typed()
    {
        await PreviewPremiumAsync();
        var qualified = await _chat.SayAsync("yes but with 5 seats");
        Assert.Contains("just \"yes\" or \"no\"", All(qualified), StringComparison.Ordinal);
        Assert.Equal(0, Writes());
        var yes = await _chat.SayAsync("yes please");
        Assert.Contains("You're now on Premium", All(yes), StringComparison.Ordinal);
        Assert.Equal(1, Writes());
    }

    [Fact]
    public async Task A_session_that_expired_between_preview_and_confirmation_writes_nothing_and_resumes_with_a_fresh_preview()
    {
        await PreviewPremiumAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(31)); // the sandbox's sessions last 30 minutes

        var confirm = await _chat.ClickAsync("Confirm");
        Assert.Equal(0, Writes());
        Assert.Contains(confirm, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.HeroCard) == true);
        Assert.Contains("expired", All(confirm), StringComparison.OrdinalIgnoreCase);

        var link = AssistantTestHost.LinkIn(confirm.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link);
        var resumed = await _chat.SayAsync(page.Code!);
        Assert.Equal(ContentTypes.AdaptiveCard, CardIn(resumed.Where(r => r.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true)).ContentType);
        Assert.Equal(0, Writes());

        var done = await _chat.ClickAsync("Confirm");
        Assert.Contains("You're now on Premium", All(done), StringComparison.Ordinal);
        Assert.Equal(1, Writes());
    }

    [Fact]
    public async Task An_old_previews_button_writes_nothing_and_says_so()
    {
        var first = await PreviewPremiumAsync();
        var oldId = PreviewIdOf(first);
        await _chat.SayAsync("maybe"); // unclear: asked again, same preview
        _host.Time.Advance(TimeSpan.FromMinutes(11)); // older than the freshness window: the yes refreshes the preview
        _host.Sandbox.Faults.Clear();

        // Make the numbers move so the refresh shows a new preview that needs a new confirmation.
        _host.Sandbox.Write(state => state.InstancesOf(Alice).Single(i => i.ParentPlanInstanceNo is null).Units = 2);
        await _host.BindDirectlyAsync(Customer); // the old session aged out with the clock
        var refreshed = await _chat.ClickAsync("Confirm");
        Assert.Contains("numbers have changed", All(refreshed), StringComparison.Ordinal);
        Assert.NotEqual(oldId, PreviewIdOf(refreshed));
        Assert.Equal(0, Writes());

        var stale = await _chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Contains("earlier preview", All(stale), StringComparison.Ordinal);
        Assert.Equal(0, Writes());

        await _chat.ClickAsync("Confirm");
        Assert.Equal(1, Writes());
        var afterwards = await _chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Equal(1, Writes());
        Assert.DoesNotContain("now on Premium", All(afterwards), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_delivered_twice_writes_once()
    {
        // Over the real /api/messages endpoint, where channels redeliver the same activity.
        async Task<ExpectedReplies> PostAsync(Activity activity)
        {
            activity.ChannelId = Customer.ChannelId;
            activity.Conversation = new ConversationAccount { Id = Customer.ConversationId };
            activity.From = new ChannelAccount { Id = Customer.UserId };
            activity.Recipient = new ChannelAccount { Id = "bot" };
            activity.DeliveryMode = DeliveryModes.ExpectReplies;
            activity.Locale = "en-US";
            var response = await _host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options))!;
        }

        await PostAsync(new Activity { Type = ActivityTypes.Message, Id = "a1", Text = "switch my plan" });
        var preview = await PostAsync(new Activity { Type = ActivityTypes.Message, Id = "a2", Text = "Premium" });
        var confirm = new Activity { Type = ActivityTypes.Message, Id = "a3", Text = "Confirm", Value = JsonSerializer.SerializeToElement(new { action = "confirmChange", previewId = PreviewIdOf(preview.Activities) }) };
        var first = await PostAsync(confirm.Clone());
        var again = await PostAsync(confirm.Clone());
        Assert.Equal(1, Writes());
        Assert.Equal(JsonSerializer.Serialize(first, BotJson.Options), JsonSerializer.Serialize(again, BotJson.Options));
        Assert.Contains("You're now on Premium", string.Join(" ", first.Activities.Select(a => a.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_whose_reply_is_lost_is_reconciled_and_reported_truthfully()
    {
        await PreviewPremiumAsync();
        _host.Sandbox.Faults.LoseResponseNext("replace_acct_plan_m");
        var done = await _chat.ClickAsync("Confirm");
        Assert.Equal(Premium, AlicePlanNo());
        Assert.Contains("You're now on Premium", All(done), StringComparison.Ordinal);
        Assert.Equal(1, _host.Sandbox.Calls.All.Count(c => c.RestCall == "replace_acct_plan_m" && c.DoWrite == true && c.ErrorCode == 0));
        var row = Assert.Single(await AuditAsync());
        Assert.Equal(AuditOutcome.Committed, row.Outcome);
    }

    [Fact]
    public async Task A_crash_between_the_write_and_the_state_save_never_writes_twice()
    {
        await _host.DisposeAsync();
        _host = new AssistantTestHost(services: services => services.AddCrashAfterWrite());
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(Customer);

        await PreviewPremiumAsync();
        _host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => _chat.ClickAsync("Confirm"));
        Assert.Equal(Premium, AlicePlanNo());
        Assert.Equal(1, Writes());

        // The bot restarts (nothing of the turn was saved) and the customer says yes again.
        var restarted = _host.Conversation();
        var replies = await restarted.SayAsync("yes");
        Assert.Equal(1, Writes());
        Assert.Contains("went through", All(replies), StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await AuditAsync()).Outcome);
    }

    [Fact]
    public async Task A_write_Aria_refuses_leaves_one_audit_row_and_plain_words()
    {
        await PreviewPremiumAsync();
        _host.Sandbox.Faults.FailNext("replace_acct_plan_m", 1049);
        var refused = await _chat.ClickAsync("Confirm");
        Assert.Contains("status doesn't allow", All(refused), StringComparison.Ordinal);
        Assert.Equal(Standard, AlicePlanNo());
        var row = Assert.Single(await AuditAsync());
        Assert.Equal(AuditOutcome.Rejected, row.Outcome);
        Assert.Equal(1049, row.AriaErrorCode);
    }

    [Fact]
    public async Task A_blocked_account_hears_why_before_anything_is_written()
    {
        var dave = new BindingKey(Channels.Webchat, "dave-chat", "dave-user");
        await _host.BindDirectlyAsync(dave, "dave", "dave-demo-1");
        var chat = _host.Conversation(userId: dave.UserId, conversationId: dave.ConversationId);
        await chat.SayAsync("switch my plan");
        var replies = await chat.ClickAsync("Premium");
        Assert.Contains("status doesn't allow", All(replies), StringComparison.Ordinal);
        Assert.Equal(0, Writes());
    }

    [Fact]
    public async Task Hidden_plans_are_never_offered_and_get_the_same_answer_as_plans_that_do_not_exist()
    {
        var asked = await _chat.SayAsync("switch my plan");
        var offered = asked.Last().SuggestedActions!.Actions!.Select(a => a.Title).ToList();
        Assert.DoesNotContain(offered, title => title!.Contains("Default", StringComparison.OrdinalIgnoreCase));

        var hidden = await _chat.SayAsync("Default master plan");
        var unknown = await _chat.SayAsync("Platinum Ultra");
        Assert.Equal(AssistantConversation.Texts(hidden), AssistantConversation.Texts(unknown));
        Assert.Equal(0, Writes());
    }

    [Fact]
    public async Task A_plan_the_operator_hides_is_not_offered()
    {
        await _host.DisposeAsync();
        _host = new AssistantTestHost(new() { ["SelfService:HiddenPlans:0"] = "BASIC" });
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(Customer);
        var asked = await _chat.SayAsync("switch my plan");
        Assert.DoesNotContain("Basic", asked.Last().SuggestedActions!.Actions!.Select(a => a.Title));
    }

    [Fact]
    public async Task Free_text_pre_fills_the_plan()
    {
        var replies = await _chat.SayAsync("switch me to premium please");
        Assert.Contains(replies, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
    }

    [Fact]
    public async Task A_completed_switch_costs_the_minimum_of_Aria_calls()
    {
        // The catalogues (plans, and the items the understander also knows by name) are cached across conversations.
        await _host.Services.GetRequiredService<AriaBot.Shell.IUnderstandingCatalog>().ItemsAsync(CancellationToken.None);
        _host.Sandbox.Calls.Clear();

        await _chat.SayAsync("switch my plan");   // validate, get_acct_plans_m (catalogue from cache)
        await _chat.ClickAsync("Premium");        // validate, preview
        await _chat.ClickAsync("Confirm");        // validate (the last call before the write), write

        var calls = _host.Sandbox.Calls.All.Select(call => call.RestCall).ToList();
        Assert.Equal(
            ["validate_session_m", "get_acct_plans_m", "validate_session_m", "replace_acct_plan_m", "validate_session_m", "replace_acct_plan_m"],
            calls);
    }

    [Fact]
    public async Task Spanish_customers_get_the_flow_in_Spanish()
    {
        var chat = _host.Conversation(userId: "user-es", conversationId: "chat-es", locale: "es-ES");
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "chat-es", "user-es"));
        var asked = await chat.SayAsync("quiero cambiar de plan");
        Assert.Contains("Tienes el plan Standard", All(asked), StringComparison.Ordinal);
        var preview = await chat.ClickAsync("Premium");
        Assert.Contains("Cambiar de Standard a Premium", CardIn(preview).Content!.Value.GetRawText(), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("Ya tienes el plan Premium", All(done), StringComparison.Ordinal);
    }
}
