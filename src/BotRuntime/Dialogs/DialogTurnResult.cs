namespace BotRuntime.Dialogs;

/// <summary>Where the dialog stack stands after a turn (or after one dialog operation).</summary>
public enum DialogTurnStatus
{
    /// <summary>Nothing is on the stack.</summary>
    Empty,

    /// <summary>The active dialog waits for the user's next activity.</summary>
    Waiting,

    /// <summary>The last dialog on the stack ended; <see cref="DialogTurnResult.Result"/> is what it returned.</summary>
    Complete,

    /// <summary>The stack was cancelled.</summary>
    Cancelled,

    /// <summary>Kept for Bot Framework parity: completed, and the caller should still wait for input.</summary>
    CompleteAndWait,
}

/// <summary>Why a dialog is being begun, resumed or ended.</summary>
public enum DialogReason
{
    BeginCalled,
    ContinueCalled,
    EndCalled,
    ReplaceCalled,
    CancelCalled,
    NextCalled,
}

/// <summary>What a dialog operation returns: the stack's status and, when a dialog ended, its result.</summary>
public sealed class DialogTurnResult(DialogTurnStatus status, object? result = null)
{
    public DialogTurnStatus Status { get; } = status;

    /// <summary>In-memory only: results pass from a child to its parent within one turn and are never stored.</summary>
    public object? Result { get; } = result;

    public override string ToString() => Result is null ? Status.ToString() : $"{Status} ({Result})";
}
