using System.Net.Http.Json;
using System.Text.Json;
using AriaBot.Audit;
using AriaBot.Catalog;
using AriaBot.Session;
using AriaBot.Understanding;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

/// <summary>
/// Switch plan (<c>replace_acct_plan_m</c>), turn by turn against the sandbox: the scenarios every plan change must show
/// (<see cref="PlanChangeScenarios"/>), and what only a switch shows. alice is on Standard; she switches to Premium.
/// </summary>
public sealed class SwitchPlanTests : PlanChangeScenarios
{
    private const long Alice = 1000001;
    private const long Standard = 12;
    private const long Premium = 13;
    private static readonly BindingKey Customer = new(Channels.Webchat, "convo1", "user1");

    protected override string RestCall => "replace_acct_plan_m";

    protected override string UserId => "alice";

    protected override long AccountNo => Alice;

    protected override IReadOnlyList<string> ToPreview => ["switch my plan", "Premium"];

    protected override IReadOnlyList<string> DaveToPreview => ["switch my plan", "Premium"];

    protected override string DoneText => "Done! You're now on Premium.";

    protected override bool Applied() => AlicePlanNo() == Premium;

    private long AlicePlanNo() => Host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanNo;

    private static Attachment CardIn(IEnumerable<Activity> replies) => Assert.Single(replies.SelectMany(reply => reply.Attachments ?? []));

    private async Task<IReadOnlyList<Activity>> PreviewPremiumAsync()
    {
        await Chat.SayAsync("switch my plan");
        return await Chat.ClickAsync("Premium");
    }

    [Fact]
    public async Task The_preview_shows_what_Aria_computed_and_the_switch_happens_once_after_confirm()
    {
        var asked = await Chat.SayAsync("switch my plan");
        Assert.Contains("You're on Standard", Said(asked), StringComparison.Ordinal);
        var offered = asked.Last().SuggestedActions!.Actions!.Select(action => action.Title).ToList();
        Assert.Contains("Premium", offered);
        Assert.DoesNotContain("Standard", offered);

        var preview = await Chat.ClickAsync("Premium");
        var card = CardIn(preview).Content!.Value;
        var text = card.GetRawText();
        Assert.Contains("Switch from Standard to Premium", text, StringComparison.Ordinal);
        Assert.Contains("Terms and Conditions", text, StringComparison.Ordinal);
        Assert.Contains("https://www.example.com/nimbus/terms", text, StringComparison.Ordinal);
        Assert.Contains("Confirm", preview.Last().SuggestedActions!.Actions!.Select(a => a.Title));
        Assert.Equal(Standard, AlicePlanNo());
        Assert.Equal(0, WriteAttempts());

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains("You're now on Premium", Said(done), StringComparison.Ordinal);
        Assert.Equal(Premium, AlicePlanNo());
        Assert.Equal(1, WriteAttempts());
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
        await Chat.ClickAsync("Confirm");
        var invoice = Host.Sandbox.Invoices(Alice).OrderBy(i => i.InvoiceNo).Last();
        Assert.Contains(invoice.Lines.Sum(l => l.Amount).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), facts, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("Cancel")]
    public async Task Saying_no_at_the_confirmation_changes_nothing(string answer)
    {
        await PreviewPremiumAsync();
        var replies = answer == "Cancel" ? await Chat.ClickAsync("Cancel") : await Chat.SayAsync(answer);
        Assert.Contains("haven't changed anything", Said(replies), StringComparison.Ordinal);
        Assert.Equal(Standard, AlicePlanNo());
        Assert.Equal(0, WriteAttempts());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Only_a_whole_utterance_yes_confirms_when_typed()
    {
        await PreviewPremiumAsync();
        var qualified = await Chat.SayAsync("yes but with 5 seats");
        Assert.Contains("just \"yes\" or \"no\"", Said(qualified), StringComparison.Ordinal);
        Assert.Equal(0, WriteAttempts());
        var yes = await Chat.SayAsync("yes please");
        Assert.Contains("You're now on Premium", Said(yes), StringComparison.Ordinal);
        Assert.Equal(1, WriteAttempts());
    }

    [Fact]
    public async Task A_session_that_expired_between_preview_and_confirmation_writes_nothing_and_resumes_with_a_fresh_preview()
    {
        await PreviewPremiumAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(31)); // the sandbox's sessions last 30 minutes

        var confirm = await Chat.ClickAsync("Confirm");
        Assert.Equal(0, WriteAttempts());
        Assert.Contains(confirm, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.HeroCard) == true);
        Assert.Contains("expired", Said(confirm), StringComparison.OrdinalIgnoreCase);

        var link = AssistantTestHost.LinkIn(confirm.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(Host.NewBrowser(), link);
        var resumed = await Chat.SayAsync(page.Code!);
        Assert.Equal(ContentTypes.AdaptiveCard, CardIn(resumed.Where(r => r.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true)).ContentType);
        Assert.Equal(0, WriteAttempts());

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains("You're now on Premium", Said(done), StringComparison.Ordinal);
        Assert.Equal(1, WriteAttempts());
    }

    [Fact]
    public async Task A_preview_refreshed_with_new_numbers_leaves_the_old_button_writing_nothing()
    {
        var first = await PreviewPremiumAsync();
        var oldId = PreviewIdOf(first);
        await Chat.SayAsync("maybe"); // unclear: asked again, same preview
        Host.Time.Advance(TimeSpan.FromMinutes(11)); // older than the freshness window: the yes refreshes the preview
        Host.Sandbox.Faults.Clear();

        // Make the numbers move so the refresh shows a new preview that needs a new confirmation.
        Host.Sandbox.Write(state => state.InstancesOf(Alice).Single(i => i.ParentPlanInstanceNo is null).Units = 2);
        await Host.BindDirectlyAsync(Customer); // the old session aged out with the clock
        var refreshed = await Chat.ClickAsync("Confirm");
        Assert.Contains("numbers have changed", Said(refreshed), StringComparison.Ordinal);
        Assert.NotEqual(oldId, PreviewIdOf(refreshed));
        Assert.Equal(0, WriteAttempts());

        var stale = await Chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Contains("earlier preview", Said(stale), StringComparison.Ordinal);
        Assert.Equal(0, WriteAttempts());

        await Chat.ClickAsync("Confirm");
        Assert.Equal(1, WriteAttempts());
        var afterwards = await Chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Equal(1, WriteAttempts());
        Assert.DoesNotContain("now on Premium", Said(afterwards), StringComparison.Ordinal);
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
            var response = await Host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options))!;
        }

        await PostAsync(new Activity { Type = ActivityTypes.Message, Id = "a1", Text = "switch my plan" });
        var preview = await PostAsync(new Activity { Type = ActivityTypes.Message, Id = "a2", Text = "Premium" });
        var confirm = new Activity { Type = ActivityTypes.Message, Id = "a3", Text = "Confirm", Value = JsonSerializer.SerializeToElement(new { action = "confirmChange", previewId = PreviewIdOf(preview.Activities) }) };
        var first = await PostAsync(confirm.Clone());
        var again = await PostAsync(confirm.Clone());
        Assert.Equal(1, WriteAttempts());
        Assert.Equal(JsonSerializer.Serialize(first, BotJson.Options), JsonSerializer.Serialize(again, BotJson.Options));
        Assert.Contains("You're now on Premium", string.Join(" ", first.Activities.Select(a => a.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_between_the_write_and_the_state_save_never_writes_twice()
    {
        // The scenarios' host puts the crash switch in front of the write intents.
        await PreviewPremiumAsync();
        Host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => Chat.ClickAsync("Confirm"));
        Assert.Equal(Premium, AlicePlanNo());
        Assert.Equal(1, WriteAttempts());

        // The bot restarts (nothing of the turn was saved) and the customer says yes again.
        var restarted = Host.Conversation();
        var replies = await restarted.SayAsync("yes");
        Assert.Equal(1, WriteAttempts());
        Assert.Contains("went through", Said(replies), StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Committed, Assert.Single(await AuditAsync()).Outcome);
    }

    [Fact]
    public async Task Hidden_plans_are_never_offered_and_get_the_same_answer_as_plans_that_do_not_exist()
    {
        var asked = await Chat.SayAsync("switch my plan");
        var offered = asked.Last().SuggestedActions!.Actions!.Select(a => a.Title).ToList();
        Assert.DoesNotContain(offered, title => title!.Contains("Default", StringComparison.OrdinalIgnoreCase));

        var hidden = await Chat.SayAsync("Default master plan");
        var unknown = await Chat.SayAsync("Platinum Ultra");
        Assert.Equal(AssistantConversation.Texts(hidden), AssistantConversation.Texts(unknown));
        Assert.Equal(0, WriteAttempts());
    }

    [Fact]
    public async Task A_plan_the_operator_hides_is_not_offered()
    {
        await using var host = new AssistantTestHost(new() { ["SelfService:HiddenPlans:0"] = "BASIC" });
        var chat = host.Conversation();
        await host.BindDirectlyAsync(Customer);
        var asked = await chat.SayAsync("switch my plan");
        Assert.DoesNotContain("Basic", asked.Last().SuggestedActions!.Actions!.Select(a => a.Title));
    }

    [Fact]
    public async Task Free_text_pre_fills_the_plan()
    {
        var replies = await Chat.SayAsync("switch me to premium please");
        Assert.Contains(replies, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
    }

    [Fact]
    public async Task A_completed_switch_costs_the_minimum_of_Aria_calls()
    {
        // The catalogs (plans, and the items the understander also knows by name) are cached across conversations.
        await Host.Services.GetRequiredService<AriaBot.Catalog.IUnderstandingCatalog>().ItemsAsync(CancellationToken.None);
        Host.Sandbox.Calls.Clear();

        await Chat.SayAsync("switch my plan");   // validate, get_acct_plans_m (catalog from cache)
        await Chat.ClickAsync("Premium");        // validate, preview
        await Chat.ClickAsync("Confirm");        // validate (the last call before the write), write

        var calls = Host.Sandbox.Calls.All.Select(call => call.RestCall).ToList();
        Assert.Equal(
            ["validate_session_m", "get_acct_plans_m", "validate_session_m", "replace_acct_plan_m", "validate_session_m", "replace_acct_plan_m"],
            calls);
    }

    [Fact]
    public async Task Spanish_customers_get_the_flow_in_Spanish()
    {
        var chat = Host.Conversation(userId: "user-es", conversationId: "chat-es", locale: "es-ES");
        await Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "chat-es", "user-es"));
        var asked = await chat.SayAsync("quiero cambiar de plan");
        Assert.Contains("Tienes el plan Standard", Said(asked), StringComparison.Ordinal);
        var preview = await chat.ClickAsync("Premium");
        Assert.Contains("Cambiar de Standard a Premium", CardIn(preview).Content!.Value.GetRawText(), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("Ya tienes el plan Premium", Said(done), StringComparison.Ordinal);
    }
}
