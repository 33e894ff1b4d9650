using System.Text.Json;
using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Dialogs;

/// <summary>A redeploy between two turns of a conversation: the second client is the new build on the same storage.</summary>
public sealed class DialogVersionTests
{
    private readonly MemoryStorage _storage = new(new FakeTimeProvider());

    private static async Task<DialogTurnResult> Say(WaterfallStepContext step, string text, CancellationToken token)
    {
        await step.Context.SendActivityAsync(text, cancellationToken: token);
        return Dialog.EndOfTurn;
    }

    private static ComponentDialog Build(int planVersion, params string[] steps)
    {
        var plan = new WaterfallDialog("switchPlan", planVersion);
        foreach (var name in steps)
        {
            plan.Step(name, (step, token) => Say(step, $"[{name}] got {step.Result ?? "nothing"}", token));
        }
        var root = new ComponentDialog("main");
        root.AddDialog(new WaterfallDialog("menu")
            .Step("begin", (step, token) => step.BeginDialogAsync("switchPlan", null, token))
            .Step("end", (step, token) => Say(step, "Back at the menu.", token)));
        root.AddDialog(plan);
        return root;
    }

    private DialogTestClient Client(Dialog dialog, DialogRunOptions? runOptions = null) =>
        new(dialog, new DialogTestClientOptions { Storage = _storage, RunOptions = runOptions ?? DialogRunOptions.Default });

    [Fact]
    public async Task Same_version_and_steps_resume_where_the_conversation_was()
    {
        await Client(Build(1, "choosePlan", "confirm", "done")).Flow().Send("hi").AssertReply("[choosePlan] got nothing").StartTestAsync();

        await Client(Build(1, "choosePlan", "confirm", "done")).Flow().Send("gold").AssertReply("[confirm] got gold").StartTestAsync();
    }

    [Fact]
    public async Task A_changed_version_restarts_politely_and_begins_the_root_again()
    {
        await Client(Build(1, "choosePlan", "confirm")).Flow().Send("hi").AssertReply("[choosePlan] got nothing").StartTestAsync();

        var newBuild = Client(Build(2, "choosePlan", "preview", "confirm"));
        await newBuild.Flow()
            .Send("gold")
            .AssertReply(DialogRunOptions.DefaultRestartText)
            .AssertReply("[choosePlan] got nothing")
            .AssertNoReply()
            .StartTestAsync();
        Assert.Equal(DialogTurnStatus.Waiting, newBuild.DialogTurnResult!.Status);

        // The new stack is saved at the new version and resumes normally from now on.
        await Client(Build(2, "choosePlan", "preview", "confirm")).Flow().Send("gold").AssertReply("[preview] got gold").StartTestAsync();
    }

    [Fact]
    public async Task A_removed_dialog_restarts_politely()
    {
        await Client(Build(1, "choosePlan", "confirm")).Flow().Send("hi").AssertReply("[choosePlan] got nothing").StartTestAsync();

        var withoutPlan = new ComponentDialog("main");
        withoutPlan.AddDialog(new WaterfallDialog("menu").Step("ask", (step, token) => Say(step, "Menu?", token)));
        await Client(withoutPlan).Flow().Send("gold").AssertReply(DialogRunOptions.DefaultRestartText).AssertReply("Menu?").StartTestAsync();
    }

    [Fact]
    public async Task A_step_moved_without_a_version_bump_is_still_caught_by_its_saved_step_name()
    {
        await Client(Build(1, "choosePlan", "confirm")).Flow().Send("hi").AssertReply("[choosePlan] got nothing").StartTestAsync();

        // Someone inserted a step before choosePlan and forgot the version (the snapshot test would have failed too).
        await Client(Build(1, "greet", "choosePlan", "confirm")).Flow()
            .Send("gold").AssertReply(DialogRunOptions.DefaultRestartText).AssertReply("[greet] got nothing")
            .StartTestAsync();
    }

    [Fact]
    public async Task State_that_no_longer_reads_as_its_declared_type_restarts_instead_of_throwing()
    {
        await _storage.WriteAsync("test/conversations/convo1", JsonSerializer.SerializeToElement(new
        {
            DialogState = new { dialogStack = new object[] { new { id = "main", version = 1, state = "not a component state" } } },
        }), null);

        await Client(Build(1, "choosePlan")).Flow().Send("hi").AssertReply(DialogRunOptions.DefaultRestartText).AssertReply("[choosePlan] got nothing").StartTestAsync();
    }

    [Fact]
    public async Task A_stack_saved_without_versions_restarts()
    {
        await _storage.WriteAsync("test/conversations/convo1", JsonSerializer.SerializeToElement(new
        {
            DialogState = new { dialogStack = new object[] { new { id = "main", state = new { } } } },
        }), null);

        await Client(Build(1, "choosePlan")).Flow().Send("hi").AssertReply(DialogRunOptions.DefaultRestartText).AssertReply("[choosePlan] got nothing").StartTestAsync();
    }

    [Fact]
    public async Task The_restart_message_comes_from_the_host_and_the_restart_is_logged()
    {
        await Client(Build(1, "choosePlan")).Flow().Send("hi").AssertReply("[choosePlan] got nothing").StartTestAsync();
        var logger = new FakeLogger();
        var options = new DialogRunOptions
        {
            Logger = logger,
            RestartMessage = (turn, stale) => MessageFactory.Text(turn.Activity.Locale == "es-ES" ? "Me han actualizado; empecemos de nuevo." : "Updated; starting again."),
        };

        var client = new DialogTestClient(Build(3, "choosePlan"), new DialogTestClientOptions
        {
            Storage = _storage,
            RunOptions = options,
            Adapter = new TestAdapterOptions { Locale = "es-ES" },
        });
        await client.Flow().Send("oro").AssertReply("Me han actualizado; empecemos de nuevo.").AssertReply("[choosePlan] got nothing").StartTestAsync();

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("switchPlan", record.Message, StringComparison.Ordinal);
        Assert.Contains("version 1 and is now version 3", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_restart_message_restarts_silently()
    {
        await Client(Build(1, "choosePlan")).Flow().Send("hi").AssertReply("[choosePlan] got nothing").StartTestAsync();

        await Client(Build(2, "choosePlan"), new DialogRunOptions { RestartMessage = (_, _) => null }).Flow()
            .Send("gold").AssertReply("[choosePlan] got nothing").AssertNoReply().StartTestAsync();
    }
}
