namespace BotRuntime.Dialogs;

/// <summary>
/// The saved dialog stack does not fit the dialogs this build has: a dialog is gone, its version changed,
/// its steps moved, or its stored state no longer reads as the type it declares. The dialog runner catches it
/// and restarts the conversation politely; it is never shown to the user.
/// </summary>
public sealed class DialogStateMismatchException : Exception
{
    public DialogStateMismatchException() { }

    public DialogStateMismatchException(string message) : base(message) { }

    public DialogStateMismatchException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Why a saved stack cannot resume; given to the restart message delegate and the log.</summary>
/// <param name="DialogId">The dialog that does not fit.</param>
/// <param name="Reason">A developer-facing explanation, for logs only.</param>
public sealed record StaleDialog(string DialogId, string Reason);
