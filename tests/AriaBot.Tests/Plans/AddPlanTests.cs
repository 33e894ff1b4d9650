using Aria.Sandbox.State;

namespace AriaBot.Tests.Plans;

/// <summary>Add plan (<c>assign_acct_plan_m</c>): alice is on Standard with no add-ons; the scenarios are in the base.</summary>
public sealed class AddPlanTests : PlanChangeScenarios
{
    private const long Alice = 1000001;
    private const long ExtraStorage = 21;
    private const long StaticIp = 23;

    protected override string RestCall => "assign_acct_plan_m";

    protected override string UserId => "alice";

    protected override long AccountNo => Alice;

    protected override IReadOnlyList<string> ToPreview => ["add 2 extra storage"];

    protected override IReadOnlyList<string> DaveToPreview => ["add 2 extra storage"];

    protected override string DoneText => "Done! Extra Storage (100 GB) is now on your account.";

    private PlanInstance Master() => Host.Sandbox.PlanInstances(Alice).Single(instance => instance.IsMaster);

    protected override bool Applied() =>
        Host.Sandbox.PlanInstances(Alice).Any(instance => instance.PlanNo == ExtraStorage && instance.Units == 2 && instance.ParentPlanInstanceNo == Master().PlanInstanceNo && instance.IsLive);

    private static IReadOnlyList<string> Buttons(IEnumerable<BotRuntime.Schema.Activity> replies) =>
        [.. replies.Last().SuggestedActions?.Actions?.Select(action => action.Title ?? string.Empty) ?? []];

    [Fact]
    public async Task Offers_only_the_visible_add_ons_linked_to_the_main_plan_asks_how_many_and_adds_under_it()
    {
        var offered = await Chat.SayAsync("add a plan");
        Assert.Equal("Which add-on would you like with Standard?", AssistantConversation.Texts(offered).Last());
        // Legacy Fax is linked to Standard but hidden (display_ind=0); main plans are never offered here.
        Assert.Equal(["Extra Storage (100 GB)", "Priority Support", "Static IP Address"], Buttons(offered));

        var howMany = await Chat.ClickAsync("Static IP Address");
        Assert.Equal("How many Static IP Address would you like? If you're not sure, 1 is the usual choice.", AssistantConversation.Texts(howMany).Last());
        Assert.Equal(["1", "2", "3"], Buttons(howMany));

        var zero = await Chat.SayAsync("0");
        Assert.Equal("Please type a whole number, 1 or more.", AssistantConversation.Texts(zero).Last());

        var preview = await Chat.ClickAsync("1");
        Assert.Contains("Add Static IP Address × 1", CardOf(preview), StringComparison.Ordinal);
        Assert.Contains("Afterwards it costs $8.00 a month.", CardOf(preview), StringComparison.Ordinal);

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains("Done! Static IP Address is now on your account.", Said(done), StringComparison.Ordinal);
        var added = Host.Sandbox.PlanInstances(Alice).Single(instance => instance.PlanNo == StaticIp);
        Assert.Equal(Master().PlanInstanceNo, added.ParentPlanInstanceNo);
        Assert.Equal(1, added.Units);
    }

    [Fact]
    public async Task An_old_cards_button_in_the_middle_of_another_question_is_refused_and_the_question_asked_again()
    {
        var old = await PreviewAsync();
        await Chat.SayAsync("no");
        await Chat.SayAsync("add a plan");

        var stale = await Chat.SubmitAsync(new { action = "confirmChange", previewId = PreviewIdOf(old) });
        Assert.Equal(["That button belongs to a preview that's no longer open, so I haven't used it and nothing was changed.", "Which add-on would you like with Standard?"], AssistantConversation.Texts(stale));
        Assert.Equal(0, WriteAttempts());
    }

    [Fact]
    public async Task A_hidden_add_on_typed_by_name_gets_the_same_answer_as_one_that_does_not_exist()
    {
        var hidden = await Chat.SayAsync("add the legacy fax line");
        var unknown = await (await SignedInAsync("convo2")).SayAsync("add the turbo fax line");
        Assert.Equal(Said(unknown), Said(hidden));
        Assert.Equal(Buttons(unknown), Buttons(hidden));
        Assert.DoesNotContain("Legacy Fax Line", Buttons(hidden));

        var typedHidden = await Chat.SayAsync("Legacy Fax Line");
        var typedUnknown = await Chat.SayAsync("Turbo Fax Line");
        Assert.Equal("Please pick one of the add-ons below.", Said(typedHidden));
        Assert.Equal(Said(typedUnknown), Said(typedHidden));
        Assert.Equal(0, Previews());
    }

    [Fact]
    public async Task An_add_on_not_linked_to_the_customers_main_plan_is_not_offered()
    {
        var bob = await SignedInAsync("bob-convo", "bob");
        var replies = await bob.SayAsync("add priority support");
        Assert.Equal(["Priority Support isn't available with Basic.", "Which add-on would you like with Basic?"], AssistantConversation.Texts(replies));
        Assert.Equal(["Extra Storage (100 GB)", "Static IP Address"], Buttons(replies));
    }

    [Fact]
    public async Task A_main_plan_or_an_add_on_already_there_is_not_added()
    {
        var master = await Chat.SayAsync("add premium");
        Assert.Contains("Premium is a main plan rather than an add-on.", Said(master), StringComparison.Ordinal);

        var erin = await SignedInAsync("erin-convo", "erin");
        var already = await erin.SayAsync("add extra storage");
        Assert.Contains("You already have Extra Storage (100 GB).", Said(already), StringComparison.Ordinal);
        Assert.Equal(0, Previews());
    }

    [Fact]
    public async Task Under_the_anniversary_directive_the_add_on_is_queued_for_the_next_bill_date()
    {
        await using var host = new AssistantTestHost(new Dictionary<string, string?> { ["SelfService:PlanChanges:AssignmentDirective"] = "1" });
        var chat = host.Conversation();
        await host.BindDirectlyAsync(new AriaBot.Session.BindingKey(BotRuntime.Schema.Channels.Webchat, "convo1", "user1"), "alice", "alice-demo-1");
        var date = AriaBot.Language.WordsFormat.Date(host.Sandbox.PlanInstances(Alice).Single().NextBillDate, "en-US");

        var preview = await PreviewAsync(chat);
        Assert.Contains($"Takes effect: on {date}", CardOf(preview), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirm");
        Assert.Contains($"Done! Extra Storage (100 GB) will be added on {date}.", Said(done), StringComparison.Ordinal);
        Assert.Single(host.Sandbox.PlanInstances(Alice));
        Assert.Single(host.Sandbox.Read(state => state.Queue.Where(change => change.Kind == QueuedChangeKind.Assign && change.NewPlanNo == ExtraStorage).ToList()));
    }

    [Fact]
    public async Task With_two_main_plans_the_add_on_goes_under_the_one_chosen()
    {
        var standard = Master();
        const long second = 990_001;
        Host.Sandbox.Write(state => state.PlanInstances.Add(new PlanInstance
        {
            PlanInstanceNo = second,
            ClientPlanInstanceId = "PI-990001",
            AcctNo = Alice,
            PlanNo = 11,
            RateScheduleNo = 1101,
            MasterPlanInstanceNo = second,
            BillingGroupNo = standard.BillingGroupNo,
            BillDay = standard.BillDay,
            PlanDate = standard.PlanDate,
            StatusDate = standard.StatusDate,
            PeriodStart = standard.PeriodStart,
            NextBillDate = standard.NextBillDate,
        }));

        var which = await Chat.SayAsync("add a static ip");
        Assert.Equal("You have more than one plan. Which one is the add-on for?", AssistantConversation.Texts(which).Last());
        Assert.Equal(["Standard", "Basic"], Buttons(which));
        await Chat.ClickAsync("Basic");
        await Chat.ClickAsync("1");
        await Chat.ClickAsync("Confirm");

        var added = Host.Sandbox.PlanInstances(Alice).Single(instance => instance.PlanNo == StaticIp);
        Assert.Equal(second, added.ParentPlanInstanceNo);
    }
}
