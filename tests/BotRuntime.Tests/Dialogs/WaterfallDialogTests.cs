using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs;

public sealed class WaterfallDialogTests
{
    public sealed class OrderOptions
    {
        public string Plan { get; set; } = string.Empty;
        public int Seats { get; set; }
    }

    public sealed class Draft
    {
        public List<string> Lines { get; set; } = [];
        public decimal Total { get; set; }
    }

    private static async Task<DialogTurnResult> Say(WaterfallStepContext step, string text, CancellationToken token)
    {
        await step.Context.SendActivityAsync(text, cancellationToken: token);
        return Dialog.EndOfTurn;
    }

    [Fact]
    public async Task Steps_run_in_order_and_each_user_message_becomes_the_next_steps_result()
    {
        var waterfall = new WaterfallDialog("greet")
            .Step("askName", (step, token) => Say(step, "Name?", token))
            .Step("askCity", (step, token) => Say(step, $"Hi {step.Result}. City?", token))
            .Step("done", async (step, token) =>
            {
                await step.Context.SendActivityAsync($"{step.Result} it is.", cancellationToken: token);
                return await step.EndDialogAsync("finished", token);
            });
        var client = new DialogTestClient(waterfall);

        await client.Flow()
            .Send("hi").AssertReply("Name?")
            .Send("Ana").AssertReply("Hi Ana. City?")
            .Send("Madrid").AssertReply("Madrid it is.").AssertNoReply()
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, client.DialogTurnResult!.Status);
        Assert.Equal("finished", client.DialogTurnResult.Result);
        Assert.Empty(client.DialogContext!.Stack);
    }

    [Fact]
    public async Task NextAsync_skips_to_the_next_step_in_the_same_turn_with_a_result()
    {
        var waterfall = new WaterfallDialog("skip")
            .Step("maybeAsk", (step, token) => step.GetOptions<OrderOptions>()?.Plan is { Length: > 0 } plan
                ? step.NextAsync(plan, token)
                : Say(step, "Which plan?", token))
            .Step("confirm", (step, token) => Say(step, $"Plan {step.Result}, step {step.Index} ({step.StepName}), reason {step.Reason}", token));

        var client = new DialogTestClient(waterfall, new DialogTestClientOptions { RunOptions = new DialogRunOptions { RootOptions = new OrderOptions { Plan = "Gold" } } });
        await client.Flow().Send("go").AssertReply("Plan Gold, step 1 (confirm), reason NextCalled").StartTestAsync();

        var asking = new DialogTestClient(waterfall);
        await asking.Flow().Send("go").AssertReply("Which plan?").Send("Silver").AssertReply("Plan Silver, step 1 (confirm), reason ContinueCalled").StartTestAsync();
    }

    [Fact]
    public async Task NextAsync_twice_in_one_step_is_a_programming_error()
    {
        var waterfall = new WaterfallDialog("twice")
            .Step("first", async (step, token) =>
            {
                await step.NextAsync(null, token);
                return await step.NextAsync(null, token);
            })
            .Step("second", (step, token) => Say(step, "second", token))
            .Step("third", (step, token) => Say(step, "third", token));
        var client = new DialogTestClient(waterfall);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendActivityAsync("go"));
        Assert.Contains("NextAsync was already called in step 'first'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_can_end_the_waterfall_early_and_the_last_step_ends_with_its_result()
    {
        var waterfall = new WaterfallDialog("early")
            .Step("check", async (step, token) => step.GetOptions<OrderOptions>() is { Seats: 0 }
                ? await step.EndDialogAsync("nothing to do", token)
                : await step.NextAsync(null, token))
            .Step("last", (step, token) => step.NextAsync("all done", token));

        var empty = new DialogTestClient(waterfall, new DialogTestClientOptions { RunOptions = new DialogRunOptions { RootOptions = new OrderOptions() } });
        await empty.SendActivityAsync("go");
        Assert.Equal("nothing to do", empty.DialogTurnResult!.Result);

        var full = new DialogTestClient(waterfall, new DialogTestClientOptions { RunOptions = new DialogRunOptions { RootOptions = new OrderOptions { Seats = 2 } } });
        await full.SendActivityAsync("go");
        Assert.Equal(DialogTurnStatus.Complete, full.DialogTurnResult!.Status);
        Assert.Equal("all done", full.DialogTurnResult.Result);
    }

    [Fact]
    public async Task Activities_other_than_messages_leave_a_waiting_step_where_it_is()
    {
        var waterfall = new WaterfallDialog("wait")
            .Step("ask", (step, token) => Say(step, "Name?", token))
            .Step("answer", (step, token) => Say(step, $"Got {step.Result}", token));
        var client = new DialogTestClient(waterfall);

        await client.Flow()
            .Send("hi").AssertReply("Name?")
            .Send(new Activity { Type = ActivityTypes.Typing }).AssertNoReply()
            .Send(new Activity { Type = ActivityTypes.Event, Name = "webchat/join" }).AssertNoReply()
            .Send("Ana").AssertReply("Got Ana")
            .StartTestAsync();
    }

    [Fact]
    public async Task Values_and_options_come_back_as_their_own_types_in_a_later_turn()
    {
        var waterfall = new WaterfallDialog("typed")
            .WithOptions<OrderOptions>()
            .Step("remember", (step, token) =>
            {
                step.Values.Set("draft", new Draft { Lines = ["router"], Total = 12.5m });
                step.Values.Set("count", 1);
                return Say(step, "Noted.", token);
            })
            .Step("change", (step, token) =>
            {
                // Read back from storage (a new turn); changed in place, which must be saved too.
                var draft = step.Values.Get<Draft>("draft")!;
                draft.Lines.Add((string)step.Result!);
                step.Values.Set("count", step.Values.Get<int>("count") + 1);
                return Say(step, "Changed.", token);
            })
            .Step("show", (step, token) =>
            {
                var options = Assert.IsType<OrderOptions>(step.Options);
                var draft = step.Values.Get<Draft>("draft")!;
                return Say(step, $"{options.Plan}: {string.Join("+", draft.Lines)} = {draft.Total}, count {step.Values.Get<int>("count")}", token);
            });
        var client = new DialogTestClient(waterfall, new DialogTestClientOptions { RunOptions = new DialogRunOptions { RootOptions = new OrderOptions { Plan = "Gold", Seats = 3 } } });

        await client.Flow()
            .Send("start").AssertReply("Noted.")
            .Send("switch").AssertReply("Changed.")
            .Send("show").AssertReply("Gold: router+switch = 12.5, count 2")
            .StartTestAsync();
    }

    [Fact]
    public void Steps_need_stable_unique_names()
    {
        var waterfall = new WaterfallDialog("names");
        Assert.Throws<ArgumentException>(() => waterfall.Step((step, token) => Task.FromResult(Dialog.EndOfTurn)));
        waterfall.Step("one", (step, token) => Task.FromResult(Dialog.EndOfTurn));
        Assert.Throws<ArgumentException>(() => waterfall.Step("one", (step, token) => Task.FromResult(Dialog.EndOfTurn)));
        Assert.Throws<ArgumentException>(() => waterfall.Step("has space", (step, token) => Task.FromResult(Dialog.EndOfTurn)));
        waterfall.Step(NamedStepAsync);
        Assert.Equal(["one", "NamedStep"], waterfall.StepNames);
    }

    private static Task<DialogTurnResult> NamedStepAsync(WaterfallStepContext step, CancellationToken token) => Task.FromResult(Dialog.EndOfTurn);

    [Fact]
    public async Task Beginning_with_options_of_another_type_than_declared_throws()
    {
        var waterfall = new WaterfallDialog("strict").WithOptions<OrderOptions>().Step(NamedStepAsync);
        var client = new DialogTestClient(waterfall, new DialogTestClientOptions { RunOptions = new DialogRunOptions { RootOptions = "not options" } });
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendActivityAsync("go"));
    }
}
