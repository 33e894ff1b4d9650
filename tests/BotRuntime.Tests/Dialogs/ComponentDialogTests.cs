using System.Text.Json;
using BotRuntime.Dialogs;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs;

public sealed class ComponentDialogTests
{
    private static async Task<DialogTurnResult> Say(WaterfallStepContext step, string text, CancellationToken token)
    {
        await step.Context.SendActivityAsync(text, cancellationToken: token);
        return Dialog.EndOfTurn;
    }

    /// <summary>outer → (waterfall: begin middle, report) ; middle → (waterfall: begin inner, add) ; inner → (ask, answer).</summary>
    private static ComponentDialog Nested()
    {
        var inner = new ComponentDialog("inner");
        inner.AddDialog(new WaterfallDialog("innerSteps")
            .Step("ask", (step, token) => Say(step, "Inner question?", token))
            .Step("answer", (step, token) =>
            {
                step.Values.Set("answer", (string)step.Result!);
                return step.EndDialogAsync($"inner:{step.Result}", token);
            }));

        var middle = new ComponentDialog("middle");
        middle.AddDialog(new WaterfallDialog("middleSteps")
            .Step("remember", (step, token) =>
            {
                step.Values.Set("startedWith", step.Context.Activity.Text);
                return step.BeginDialogAsync("inner", null, token);
            })
            .Step("wrap", (step, token) => step.EndDialogAsync($"middle({step.Result}, started with {step.Values.Get<string>("startedWith")})", token)));
        middle.AddDialog(inner);

        var outer = new ComponentDialog("outer");
        outer.AddDialog(new WaterfallDialog("outerSteps")
            .Step("begin", (step, token) => step.BeginDialogAsync("middle", null, token))
            .Step("report", async (step, token) =>
            {
                await step.Context.SendActivityAsync($"Result: {step.Result}", cancellationToken: token);
                return await step.EndDialogAsync(step.Result, token);
            }));
        outer.AddDialog(middle);
        return outer;
    }

    [Fact]
    public async Task Nested_components_keep_their_stacks_and_pass_results_up_when_they_end()
    {
        var client = new DialogTestClient(Nested());

        await client.Flow()
            .Send("hello").AssertReply("Inner question?")
            .Do(() =>
            {
                // The root stack holds only the outer component; the inner stacks live in its state.
                var stack = Assert.Single(client.DialogContext!.Stack);
                Assert.Equal("outer", stack.Id);
            })
            .Send("42").AssertReply("Result: middle(inner:42, started with hello)").AssertNoReply()
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, client.DialogTurnResult!.Status);
        Assert.Equal("middle(inner:42, started with hello)", client.DialogTurnResult.Result);
    }

    [Fact]
    public async Task The_saved_stack_is_plain_json_with_ids_versions_and_typed_state()
    {
        var client = new DialogTestClient(Nested());
        await client.SendActivityAsync("hello");

        var items = await client.Storage.ReadAsync(["test/conversations/convo1"]);
        var stack = items["test/conversations/convo1"].Document.GetProperty("DialogState").GetProperty("dialogStack");
        var outer = stack[0];
        Assert.Equal("outer", outer.GetProperty("id").GetString());
        Assert.Equal(1, outer.GetProperty("version").GetInt32());
        var outerSteps = outer.GetProperty("state").GetProperty("dialogs").GetProperty("dialogStack");
        Assert.Equal(["middle", "outerSteps"], outerSteps.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var middleSteps = outerSteps[0].GetProperty("state").GetProperty("dialogs").GetProperty("dialogStack")[1];
        Assert.Equal("middleSteps", middleSteps.GetProperty("id").GetString());
        Assert.Equal("hello", middleSteps.GetProperty("state").GetProperty("values").GetProperty("startedWith").GetString());
        Assert.Equal("remember", middleSteps.GetProperty("state").GetProperty("stepName").GetString());
        Assert.Equal(JsonValueKind.Null, middleSteps.GetProperty("state").GetProperty("options").ValueKind);
    }

    [Fact]
    public async Task A_dialog_begun_from_a_component_can_be_found_in_the_parents_set()
    {
        var shared = new WaterfallDialog("shared").Step("say", (step, token) => step.EndDialogAsync("from shared", token));
        var component = new ComponentDialog("component");
        component.AddDialog(new WaterfallDialog("steps")
            .Step("begin", (step, token) => step.BeginDialogAsync("shared", null, token))
            .Step("after", (step, token) => Say(step, $"{step.Result}", token)));
        var root = new ComponentDialog("root");
        root.AddDialog(component).AddDialog(shared);

        var client = new DialogTestClient(root);
        await client.Flow().Send("go").AssertReply("from shared").StartTestAsync();
    }

    [Fact]
    public void A_taken_id_is_refused_rather_than_renamed()
    {
        var set = new DialogSet();
        var dialog = new WaterfallDialog("same");
        set.Add(dialog).Add(dialog);
        Assert.Throws<InvalidOperationException>(() => set.Add(new WaterfallDialog("same")));
    }

    [Fact]
    public async Task Cancel_all_with_parents_clears_every_stack_and_does_not_resume_anything()
    {
        var inner = new ComponentDialog("inner");
        inner.AddDialog(new WaterfallDialog("innerSteps")
            .Step("ask", (step, token) => Say(step, "Question?", token))
            .Step("cancel", (step, token) => step.CancelAllDialogsAsync(cancelParents: true, token)));
        var outer = new ComponentDialog("outer");
        outer.AddDialog(new WaterfallDialog("outerSteps")
            .Step("begin", (step, token) => step.BeginDialogAsync("inner", null, token))
            .Step("mustNotRun", (step, token) => Say(step, "resumed after cancel!", token)));
        outer.AddDialog(inner);

        var client = new DialogTestClient(outer);
        await client.Flow().Send("go").AssertReply("Question?").Send("anything").AssertNoReply().StartTestAsync();

        Assert.Equal(DialogTurnStatus.Cancelled, client.DialogTurnResult!.Status);
        Assert.Empty(client.DialogContext!.Stack);
        // The next message starts the root afresh at once (no "two messages after cancel").
        await client.Flow().Send("again").AssertReply("Question?").StartTestAsync();
    }
}
