using Aria.Sandbox.State;

namespace AriaBot.Tests.Plans;

/// <summary>Change units (<c>update_acct_plan_m</c>): erin has Extra Storage ×3 (and Premium, Priority Support, a Static IP).</summary>
public sealed class ChangeUnitsTests : PlanChangeScenarios
{
    private const long Erin = 1000005;
    private const long ExtraStorage = 21;

    protected override string RestCall => "update_acct_plan_m";

    protected override string UserId => "erin";

    protected override long AccountNo => Erin;

    protected override IReadOnlyList<string> ToPreview => ["change my storage to 5 units", "5"];

    protected override IReadOnlyList<string> DaveToPreview => ["change units", "2"];

    protected override string DoneText => "Done! You now have 5 × Extra Storage (100 GB).";

    private PlanInstance Storage() => Host.Sandbox.PlanInstances(Erin).Single(instance => instance.PlanNo == ExtraStorage);

    protected override bool Applied() => Storage().Units == 5;

    private static IReadOnlyList<string> Buttons(IEnumerable<BotRuntime.Schema.Activity> replies) =>
        [.. replies.Last().SuggestedActions?.Actions?.Select(action => action.Title ?? string.Empty) ?? []];

    [Fact]
    public async Task A_number_that_may_be_a_total_or_more_is_offered_both_ways_and_the_preview_shows_the_total()
    {
        var asked = await Chat.SayAsync("change my storage to 5 units");
        Assert.Equal("You have 3 × Extra Storage (100 GB). How many would you like in total?", Said(asked));
        Assert.Equal(["5 in total", "8 in total (5 more)"], Buttons(asked));

        var preview = await Chat.ClickAsync("8 in total (5 more)");
        Assert.Contains("Extra Storage (100 GB): from 3 to 8", CardOf(preview), StringComparison.Ordinal);
        Assert.Contains("Afterwards it costs $40.00 a month.", CardOf(preview), StringComparison.Ordinal);
        Assert.Equal(3, Storage().Units);

        await Chat.ClickAsync("Confirm");
        Assert.Equal(8, Storage().Units);
    }

    [Fact]
    public async Task The_total_must_be_a_whole_number_of_at_least_one_and_different_from_now()
    {
        await Chat.SayAsync("change units");
        await Chat.ClickAsync("Extra Storage (100 GB)");

        var same = await Chat.SayAsync("3");
        Assert.Equal("You already have 3. How many would you like in total?", Said(same));
        var zero = await Chat.SayAsync("0");
        Assert.Equal("The smallest quantity is 1. To remove Extra Storage (100 GB) altogether, say \"cancel a plan\". Otherwise, how many would you like in total?", Said(zero));
        Assert.Equal(0, Previews());
        var preview = await Chat.SayAsync("2");
        Assert.Contains("Extra Storage (100 GB): from 3 to 2", CardOf(preview), StringComparison.Ordinal);

        var other = await SignedInAsync("convo2");
        await other.SayAsync("change units");
        await other.ClickAsync("Extra Storage (100 GB)");
        var words = await other.SayAsync("lots");
        Assert.Equal("Please type the total you'd like, as a whole number.", Said(words));
        var twice = await other.SayAsync("more");
        var giveUp = await other.SayAsync("heaps");
        Assert.Contains("Let's leave that for now", Said(giveUp), StringComparison.Ordinal);
        Assert.Equal(1, Previews());
        Assert.NotEmpty(twice);
    }

    [Fact]
    public async Task Only_active_visible_plans_are_offered_and_a_main_plan_with_units_can_be_changed()
    {
        var which = await Chat.SayAsync("change units");
        Assert.Equal("Which plan would you like to change the quantity of?", AssistantConversation.Texts(which).Last());
        Assert.Equal(["Premium", "Priority Support", "Extra Storage (100 GB)", "Static IP Address"], Buttons(which));

        // Alice has a single plan: the question goes straight to its quantity.
        var alice = await SignedInAsync("alice-convo", "alice");
        var asked = await alice.SayAsync("change the number of users");
        Assert.Equal("You have 1 × Standard. How many would you like in total?", Said(asked));
        var preview = await alice.SayAsync("3");
        Assert.Contains("Standard: from 1 to 3", CardOf(preview), StringComparison.Ordinal);
        await alice.ClickAsync("Confirm");
        Assert.Equal(3, Host.Sandbox.PlanInstances(1000001).Single().Units);
    }

    [Fact]
    public async Task A_hidden_plan_typed_by_name_gets_the_same_answer_as_one_that_does_not_exist()
    {
        var hidden = await Chat.SayAsync("change my legacy fax line to 2 units");
        var unknown = await (await SignedInAsync("convo2")).SayAsync("change my turbo fax line to 2 units");
        Assert.Equal(Said(unknown), Said(hidden));
        Assert.DoesNotContain("Legacy Fax Line", Buttons(hidden));
        var typed = await Chat.SayAsync("Legacy Fax Line");
        Assert.Equal("Please pick one of the plans below.", Said(typed));
    }
}
