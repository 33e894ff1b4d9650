using BotRuntime.Connector;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Hosting;

/// <summary>
/// The "one moment" reply to a message that waited <see cref="BotOptions.TurnQueueTimeout"/> for its conversation's
/// previous turn: the message is not lost (the ingress answers 503, and Direct Line's inbox or the channel tries it
/// again), but the customer hears at once that the bot is still busy. Said once per activity: the retries of the same
/// message stay silent. Remembered in this process only — after a restart or on another instance it may be said once more.
/// </summary>
public sealed partial class BusyNotices(IEnumerable<IBusyConversationText> texts, ILogger<BusyNotices> logger)
{
    /// <summary>What is said when no <see cref="IBusyConversationText"/> is registered.</summary>
    public const string DefaultText = "One moment, please: I'm still working on your previous message. I'll answer this one right after.";

    private const int Remembered = 10_000;
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    // The last registration wins, as with any DI service.
    private readonly IBusyConversationText? _text = texts.LastOrDefault();

    public async Task TellAsync(Activity activity, IChannelConnector? connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        // Only a customer's message deserves an answer; expectReplies callers get the 503 and no channel to send on.
        if (connector is null || !activity.IsType(ActivityTypes.Message) || activity.DeliveryMode == DeliveryModes.ExpectReplies)
        {
            return;
        }
        var id = $"{activity.ChannelId}/{activity.Conversation?.Id}/{activity.Id}";
        lock (_gate)
        {
            if (_told.Count >= Remembered)
            {
                _told.Clear();
            }
            if (!_told.Add(id))
            {
                return;
            }
        }
        var text = _text is null ? DefaultText : _text.For(activity);
        if (text is null)
        {
            return;
        }
        try
        {
            await connector.SendActivityAsync(activity.CreateReply(text), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A notice that cannot be sent must not turn the retry into a failure.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogNoticeFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The 'one moment' notice could not be sent")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception);
}
