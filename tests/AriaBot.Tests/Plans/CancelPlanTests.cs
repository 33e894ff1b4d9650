using Aria.Sandbox.State;

namespace AriaBot.Tests.Plans;

/// <summary>Cancel plan (<c>cancel_acct_plan_m</c>): erin is on Premium with Priority Support, Extra Storage ×3 and a Static IP.</summary>
public sealed class CancelPlanTests : PlanChangeScenarios
{
    private const long Erin = 1000005;
    private const long PrioritySupport = 22;

    protected override string RestCall => "cancel_acct_plan_m";

    protected override string UserId => "erin";

    protected override long AccountNo => Erin;

    protected override IReadOnlyList<string> ToPreview => ["cancel my priority support"];

    protected override IReadOnlyList<string> DaveToPreview => ["cancel my plan"];

    protected override string DoneText => "Done. Priority Support is cancelled.";

    private PlanInstance Instance(long planNo) => Host.Sandbox.PlanInstances(Erin).Single(instance => instance.PlanNo == planNo);

    protected override bool Applied() => Instance(PrioritySupport).StatusCd is -2 or 2;

    private static IReadOnlyList<string> Buttons(IEnumerable<BotRuntime.Schema.Activity> replies) =>
        [.. replies.Last().SuggestedActions?.Actions?.Select(action => action.Title ?? string.Empty) ?? []];

    [Fact]
    public async Task Cancelling_the_main_plan_says_what_it_cascades_to_and_cancels_all_of_it()
    {
        var which = await Chat.SayAsync("cancel my plan");
        Assert.Equal("Which plan would you like to cancel?", AssistantConversation.Texts(which).Last());
        Assert.Equal(["Premium", "Priority Support", "Extra Storage (100 GB)", "Static IP Address"], Buttons(which));

        var preview = await Chat.ClickAsync("Premium");
        var card = CardOf(preview)!;
        Assert.Contains("Cancel Premium", card, StringComparison.Ordinal);
        Assert.Contains("Priority Support is cancelled too, as it belongs to this plan.", card, StringComparison.Ordinal);
        Assert.Contains("Extra Storage (100 GB) is cancelled too, as it belongs to this plan.", card, StringComparison.Ordinal);
        Assert.Contains("Static IP Address is cancelled too, as it belongs to this plan.", card, StringComparison.Ordinal);
        Assert.Contains("This is your only active main plan", card, StringComparison.Ordinal);
        Assert.All(Host.Sandbox.PlanInstances(Erin), instance => Assert.Equal(1, instance.StatusCd));

        var done = await Chat.ClickAsync("Confirm");
        Assert.Contains("Done. Premium is cancelled.", Said(done), StringComparison.Ordinal);
        Assert.All(Host.Sandbox.PlanInstances(Erin), instance => Assert.Equal(-2, instance.StatusCd));
    }

    [Fact]
    public async Task Cancelling_an_add_on_names_no_other_plan_and_leaves_the_rest()
    {
        var preview = await PreviewAsync();
        var card = CardOf(preview)!;
        Assert.DoesNotContain("cancelled too", card, StringComparison.Ordinal);
        Assert.DoesNotContain("only active main plan", card, StringComparison.Ordinal);
        Assert.Contains("Credit for unused Priority Support", card, StringComparison.Ordinal);

        await Chat.ClickAsync("Confirm");
        Assert.All(Host.Sandbox.PlanInstances(Erin).Where(instance => instance.PlanNo != PrioritySupport), instance => Assert.Equal(1, instance.StatusCd));
    }

    [Fact]
    public async Task A_hidden_plan_on_the_account_is_not_offered_and_its_name_is_unknown()
    {
        // Erin also has the hidden Legacy Fax Line (display_ind=0): a retired add-on is a matter for a person.
        var master = Instance(13);
        Host.Sandbox.Write(state => state.PlanInstances.Add(new PlanInstance
        {
            PlanInstanceNo = 990_024,
            ClientPlanInstanceId = "PI-990024",
            AcctNo = Erin,
            PlanNo = 24,
            RateScheduleNo = 2401,
            ParentPlanInstanceNo = master.PlanInstanceNo,
            MasterPlanInstanceNo = master.PlanInstanceNo,
            BillingGroupNo = master.BillingGroupNo,
            BillDay = master.BillDay,
            PlanDate = master.PlanDate,
            StatusDate = master.StatusDate,
            PeriodStart = master.PeriodStart,
            NextBillDate = master.NextBillDate,
        }));

        var hidden = await Chat.SayAsync("cancel the legacy fax line");
        var unknown = await (await SignedInAsync("convo2")).SayAsync("cancel the turbo fax line");
        Assert.Equal(Said(unknown), Said(hidden));
        Assert.Equal(Buttons(unknown), Buttons(hidden));
        Assert.DoesNotContain("Legacy Fax Line", Buttons(hidden));

        var typed = await Chat.SayAsync("Legacy Fax Line");
        Assert.Equal("Please pick one of the plans below.", Said(typed));
        Assert.Equal(0, Previews());
    }

    [Fact]
    public async Task Under_the_anniversary_directive_the_card_and_the_answer_say_when_it_ends()
    {
        await using var host = new AssistantTestHost(new Dictionary<string, string?> { ["SelfService:PlanChanges:AssignmentDirective"] = "1" });
        var chat = host.Conversation();
        await host.BindDirectlyAsync(new AriaBot.Session.BindingKey(BotRuntime.Schema.Channels.Webchat, "convo1", "user1"), "erin", "erin-demo-1");
        var support = host.Sandbox.PlanInstances(Erin).Single(instance => instance.PlanNo == PrioritySupport);
        var date = AriaBot.Language.WordsFormat.Date(support.NextBillDate, "en-US");

        var preview = await PreviewAsync(chat);
        Assert.Contains($"Takes effect: on {date}", CardOf(preview), StringComparison.Ordinal);
        var done = await chat.ClickAsync("Confirm");
        Assert.Contains($"Done. Priority Support will end on {date}.", Said(done), StringComparison.Ordinal);
        Assert.Equal(2, host.Sandbox.PlanInstances(Erin).Single(instance => instance.PlanNo == PrioritySupport).StatusCd);
    }

    [Fact]
    public async Task A_plan_the_customer_does_not_have_is_said_so_and_the_others_are_offered()
    {
        var replies = await Chat.SayAsync("cancel my basic plan");
        Assert.Equal("You don't have Basic on your account.", AssistantConversation.Texts(replies)[0]);
        Assert.Equal("Which plan would you like to cancel?", AssistantConversation.Texts(replies).Last());
    }

    [Fact]
    public async Task Spanish_customers_get_the_same_flow_in_spanish()
    {
        var chat = await SignedInAsync("es-convo", locale: "es-ES");
        var which = await chat.SayAsync("quiero cancelar un plan");
        Assert.Equal("¿Qué plan quieres cancelar?", AssistantConversation.Texts(which).Last());

        var preview = await chat.ClickAsync("Premium");
        Assert.Contains("Cancelar Premium", CardOf(preview), StringComparison.Ordinal);
        Assert.Contains("Priority Support también se cancela, porque va con este plan.", CardOf(preview), StringComparison.Ordinal);

        var done = await chat.ClickAsync("Confirmar");
        Assert.Contains("Hecho. Se ha cancelado Premium.", Said(done), StringComparison.Ordinal);
        Assert.Equal(-2, Instance(13).StatusCd);
    }
}
