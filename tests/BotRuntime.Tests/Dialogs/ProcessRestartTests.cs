using BotRuntime.Dialogs;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Dialogs;

/// <summary>
/// A conversation that outlives its process: the stack (nested components, waterfall values, typed options, a
/// prompt with used attempts) is saved to SQLite, and a brand-new storage, dialog set and adapter resume it.
/// </summary>
public sealed class ProcessRestartTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"dialogs-restart-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    // The stores the "processes" opened, disposed when the test ends (before the folder goes).
    private readonly List<SqliteStorage> _stores = [];

    private SqliteStorage Store()
    {
        var store = SqliteStorage.ForFile(Path.Combine(_folder, "state.db"), _clock);
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Everything a process would build at start-up, new each time.</summary>
    private DialogTestClient NewProcess() => new(SampleDialogs.Root(), new DialogTestClientOptions
    {
        Storage = Store(),
        Adapter = new TestAdapterOptions { TimeProvider = _clock },
    });

    [Fact]
    public async Task A_conversation_resumes_in_a_new_process_on_the_same_database()
    {
        await NewProcess().Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Send("switch plan").AssertReply("You're on Silver. Which plan would you like?")
            .Send("gold").AssertReply("How many seats?")
            .Send("a lot").AssertReply("Please give a number of seats from 1 to 50.")
            .StartTestAsync();

        // Restart: new storage object, new ConversationState, new dialogs, new adapter.
        var second = NewProcess();
        await second.Flow()
            .Send("200").AssertReply("Please give a number of seats from 1 to 50.")
            .StartTestAsync();
        var outer = Assert.Single(second.DialogContext!.Stack);
        var inner = outer.GetState<ComponentState>()!.Dialogs.DialogStack;
        Assert.Equal(["switchPlan", "menu"], inner.Select(i => i.Id));

        var third = NewProcess();
        await third.Flow()
            .Send("5").AssertReply("Switch from Silver to Gold with 5 seats?")
            .StartTestAsync();

        // The step values and the waterfall options come back as their own types.
        var switchPlan = third.DialogContext!.Stack[0].GetState<ComponentState>()!.Dialogs.DialogStack[0];
        var steps = switchPlan.GetState<ComponentState>()!.Dialogs.DialogStack.Single(i => i.Id == "switchPlanSteps");
        var change = steps.GetState<WaterfallState>()!.Values.Get<SampleDialogs.PlanChange>("change");
        Assert.IsType<SampleDialogs.PlanChange>(change);
        Assert.Equal(("Gold", 5), (change!.Plan, change.Seats));

        await NewProcess().Flow()
            .Send("yes").AssertReply("Done: Gold, 5 seats.").AssertReply("All done.").AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task The_prompts_attempt_count_survives_the_restart()
    {
        await NewProcess().Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Send("switch plan").AssertReply("You're on Silver. Which plan would you like?")
            .Send("gold").AssertReply("How many seats?")
            .Send("a lot").AssertReply("Please give a number of seats from 1 to 50.")
            .Send("more").AssertReply("Please give a number of seats from 1 to 50.")
            .StartTestAsync();

        await NewProcess().Flow()
            .Send("even more").AssertReply("I couldn't get the number of seats. Say agent to talk to a person.")
            .StartTestAsync();
    }

    [Fact]
    public async Task A_redeploy_with_a_bumped_version_restarts_the_conversation_politely()
    {
        await NewProcess().Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Send("switch plan").AssertReply("You're on Silver. Which plan would you like?")
            .StartTestAsync();

        var redeployed = new DialogTestClient(SampleDialogs.Root(switchPlanVersion: 3), new DialogTestClientOptions
        {
            Storage = Store(),
        });
        await redeployed.Flow()
            .Send("gold").AssertReply(DialogRunOptions.DefaultRestartText).AssertReply("What would you like to do?")
            .StartTestAsync();
    }
}
