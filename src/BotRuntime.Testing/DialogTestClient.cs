using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.Testing;

public sealed class DialogTestClientOptions
{
    /// <summary>Conversation, channel, locale and clock of the test adapter.</summary>
    public TestAdapterOptions Adapter { get; init; } = new();

    /// <summary>Where state lives; pass a <see cref="SqliteStorage"/> to test surviving a restart. Default in memory.</summary>
    public IStorage? Storage { get; init; }

    /// <summary>Middleware that runs before the dialog, after state auto-save is set up (typing indicators, …).</summary>
    public IReadOnlyList<IMiddleware> Middleware { get; init; } = [];

    /// <summary>Restart message and root options for <see cref="DialogRunner.RunAsync"/>.</summary>
    public DialogRunOptions RunOptions { get; init; } = DialogRunOptions.Default;

    /// <summary>The conversation-state property the stack lives in. Default <c>DialogState</c>, as in the samples.</summary>
    public string DialogStateProperty { get; init; } = "DialogState";
}

/// <summary>
/// Runs one dialog as a bot over a <see cref="TestAdapter"/>, conversation state and auto-save (Bot
/// Framework's DialogTestClient). After each turn it exposes the turn's <see cref="DialogTurnResult"/>, the root
/// <see cref="DialogContext"/> and the state, so a test can look inside (SDK complaint: state was unreachable).
/// </summary>
public sealed class DialogTestClient
{
    private readonly Dialog _dialog;
    private readonly IStatePropertyAccessor<DialogState> _dialogState;
    private readonly DialogRunOptions _runOptions;

    public DialogTestClient(Dialog dialog, DialogTestClientOptions? options = null)
    {
        _dialog = dialog ?? throw new ArgumentNullException(nameof(dialog));
        options ??= new DialogTestClientOptions();
        _runOptions = options.RunOptions;
        Storage = options.Storage ?? new MemoryStorage(options.Adapter.TimeProvider);
        ConversationState = new ConversationState(Storage);
        UserState = new UserState(Storage);
        _dialogState = ConversationState.CreateProperty<DialogState>(options.DialogStateProperty);
        Adapter = new TestAdapter(options.Adapter, [new AutoSaveStateMiddleware(ConversationState, UserState), .. options.Middleware]);
    }

    public TestAdapter Adapter { get; }

    public IStorage Storage { get; }

    public ConversationState ConversationState { get; }

    public UserState UserState { get; }

    /// <summary>The result of the last turn.</summary>
    public DialogTurnResult? DialogTurnResult { get; private set; }

    /// <summary>The root dialog context of the last turn (its stack as the turn left it).</summary>
    public DialogContext? DialogContext { get; private set; }

    /// <summary>The turn context of the last turn.</summary>
    public ITurnContext? TurnContext { get; private set; }

    /// <summary>Sends text and returns the first reply (the rest wait in <see cref="GetNextReply"/>), or null.</summary>
    public Task<Activity?> SendActivityAsync(string text, CancellationToken cancellationToken = default) =>
        SendActivityAsync(Adapter.MakeActivity(text), cancellationToken);

    public async Task<Activity?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        await Adapter.ProcessActivityAsync(activity, RunTurnAsync, cancellationToken).ConfigureAwait(false);
        return GetNextReply();
    }

    public Activity? GetNextReply() => Adapter.GetNextReply();

    /// <summary>The turn callback, for use with <see cref="TestFlow"/> or <see cref="TranscriptReplay"/>.</summary>
    public async Task RunTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        TurnContext = turnContext;
        DialogTurnResult = await _dialog.RunAsync(turnContext, _dialogState, _runOptions, cancellationToken).ConfigureAwait(false);
        DialogContext = turnContext.TurnState.Get<DialogContext>(Dialogs.DialogContext.TurnStateKey);
    }

    /// <summary>A flow over this client's adapter and dialog.</summary>
    public TestFlow Flow() => new(Adapter, RunTurnAsync);
}
