namespace AriaBot.Changes;

/// <summary>
/// Hears, once per write, that Aria applied it: right after Aria's answer (<see cref="ChangeWriter"/>), or when a lost
/// reply or a crash is later proven done by reading the account (<see cref="WriteReconciliation"/>, on the
/// conversation's next turn or at start-up). For what must follow a write whichever way it was proven (the old address
/// told of an account e-mail change); the customer's own words stay with the dialog. An observer must be idempotent
/// per <see cref="WriteIntent.Id"/>: two instances may each settle and report the same write.
/// </summary>
public interface IWriteCommittedObserver
{
    Task OnCommittedAsync(WriteIntent intent, CancellationToken cancellationToken);
}

/// <summary>Runs every observer; one that fails is logged and never fails the write (the write is done either way).</summary>
internal static partial class WriteCommittedObservers
{
    public static async Task NotifyAsync(IEnumerable<IWriteCommittedObserver> observers, WriteIntent intent, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnCommittedAsync(intent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The write is committed; a follow-up that failed is logged, not turned into a failed write.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogObserverFailed(logger, intent.Kind, observer.GetType().Name, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "After a committed {Kind} write, {Observer} failed")]
    private static partial void LogObserverFailed(ILogger logger, string kind, string observer, Exception exception);
}
