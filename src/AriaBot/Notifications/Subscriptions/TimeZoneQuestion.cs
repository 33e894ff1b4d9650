using System.Collections.Concurrent;
using System.Globalization;
using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications.Subscriptions;

/// <summary>
/// Asks the customer's time zone once, when they opt in on a channel that pushes notices and did not say its zone,
/// and takes "change my time zone [to …]" at any time. The question leaves a short-lived marker for the chat; the
/// answer is taken only when the whole message names a zone (<see cref="TimeZoneNames"/>) while the marker is there,
/// so a customer who moves on is never stuck in the question, and a message that names no zone costs no read. The zone
/// belongs to the chat's subscription: like "stop notifications", whoever gets the notices here may set it.
/// </summary>
public sealed partial class TimeZoneQuestion(
    IWords words,
    IStorage storage,
    NotificationSubscriptions subscriptions,
    IOptionsMonitor<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<TimeZoneQuestion> logger)
{
    internal const string AskedPrefix = "notifications/timezone-asked/";

    /// <summary>How long an unanswered question waits (after that "Madrid" alone goes to the dialogs again).</summary>
    internal static readonly TimeSpan AnswerWindow = TimeSpan.FromMinutes(30);

    /// <summary>Asks, offering the locale's common zones as buttons (the current guess first), and remembers it asked.</summary>
    public async Task AskAsync(ITurnContext turn, long accountNo, string subscriptionId, string? currentZone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await storage.WriteAsync(AskedPrefix + subscriptionId, new SubscriptionIndex { AccountNo = accountNo }, StoreWrite.AnyETag,
            timeProvider.GetUtcNow() + AnswerWindow, cancellationToken).ConfigureAwait(false);
        var locale = turn.Activity.Locale;
        var zone = TimeZoneNames.Describe(currentZone ?? "Etc/UTC", timeProvider.GetUtcNow());
        var settings = options.CurrentValue;
        var (from, to) = (settings.QuietHoursStart.ToString(@"hh\:mm", CultureInfo.InvariantCulture), settings.QuietHoursEnd.ToString(@"hh\:mm", CultureInfo.InvariantCulture));
        var choices = words.FormatAll(NotificationWords.TimeZoneChoices, locale).Take(6).Select(choice => CardAction.ImBack(choice)).ToList();
        await turn.SendActivityAsync(MessageFactory.SuggestedActions(choices, words.Format(NotificationWords.TimeZoneQuestion, locale, new { zone, from, to })),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Handles "change my time zone" (asks) and "change my time zone to X" (sets, or says X is unknown and asks), and a
    /// bare zone answering the question; false when the message is none of these (the dialogs have it).
    /// </summary>
    public async Task<bool> TryHandleAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (!activity.IsType(ActivityTypes.Message) || activity.Text is not { Length: > 0 and <= 80 } text
            || activity.ChannelId is not { Length: > 0 } channel || activity.Conversation?.Id is not { Length: > 0 } conversation
            || activity.From?.Id is not { Length: > 0 } user)
        {
            return false;
        }
        // The subscription's id is a hash: made only for a message that is about the time zone (issue 22: most are not).
        if (ChangeRequest(text, activity.Locale) is { } rest)
        {
            await ChangeAsync(turn, Subscription.IdOf(channel, conversation, user), rest, cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (TimeZoneNames.Recognize(text) is not { } zone)
        {
            return false;
        }
        var subscriptionId = Subscription.IdOf(channel, conversation, user);
        if (await storage.ReadAsync<SubscriptionIndex>(AskedPrefix + subscriptionId, cancellationToken).ConfigureAwait(false) is not { } asked)
        {
            return false;
        }
        await SetAsync(turn, asked.Value.AccountNo, subscriptionId, zone, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The text after a "change my time zone" phrase ("" for the phrase alone), or null when it is not one.</summary>
    private string? ChangeRequest(string text, string? locale)
    {
        var normalized = NotificationCommandsMiddleware.Normalize(text);
        foreach (var phrase in PhrasesOf(locale))
        {
            if (normalized == phrase)
            {
                return "";
            }
            if (normalized.StartsWith(phrase + " ", StringComparison.Ordinal))
            {
                // "… to Madrid", "… a Madrid", "…: UTC+1".
                var rest = normalized[(phrase.Length + 1)..].TrimStart(':', ' ');
                foreach (var joiner in new[] { "to ", "a ", "en " })
                {
                    if (rest.StartsWith(joiner, StringComparison.Ordinal))
                    {
                        return rest[joiner.Length..];
                    }
                }
                return rest;
            }
        }
        return null;
    }

    // Every message is checked against the phrases, and the words never change while the process runs: every wording,
    // normalised, once per culture (issue 22), in the order the words list them.
    private readonly ConcurrentDictionary<string, string[]> _phrases = new(StringComparer.Ordinal);

    private string[] PhrasesOf(string? locale) =>
        _phrases.GetOrAdd(BotCulture.Resolve(locale).Name, culture => [.. words.FormatAll(NotificationWords.TimeZonePhrases, culture).Select(NotificationCommandsMiddleware.Normalize)]);

    private async Task ChangeAsync(ITurnContext turn, string subscriptionId, string rest, CancellationToken cancellationToken)
    {
        if (await subscriptions.AccountOfChatAsync(subscriptionId, cancellationToken).ConfigureAwait(false) is not { } accountNo)
        {
            await SayAsync(turn, NotificationWords.TimeZoneNotSubscribed, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (rest.Length > 0 && TimeZoneNames.Recognize(rest) is { } zone)
        {
            await SetAsync(turn, accountNo, subscriptionId, zone, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (rest.Length > 0)
        {
            // Not echoed: what was typed is not shown back (it might be anything).
            await SayAsync(turn, NotificationWords.TimeZoneUnknown, null, cancellationToken).ConfigureAwait(false);
        }
        var current = (await subscriptions.ForAccountAsync(accountNo, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Id == subscriptionId)?.TimeZone;
        await AskAsync(turn, accountNo, subscriptionId, current, cancellationToken).ConfigureAwait(false);
    }

    private async Task SetAsync(ITurnContext turn, long accountNo, string subscriptionId, string zone, CancellationToken cancellationToken)
    {
        await storage.DeleteAsync(AskedPrefix + subscriptionId, cancellationToken).ConfigureAwait(false);
        if (!await subscriptions.SetTimeZoneAsync(accountNo, subscriptionId, zone, cancellationToken).ConfigureAwait(false))
        {
            await SayAsync(turn, NotificationWords.TimeZoneNotSubscribed, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        LogTimeZoneSet(logger, accountNo, zone);
        await SayAsync(turn, NotificationWords.TimeZoneSet, new { zone = TimeZoneNames.Describe(zone, timeProvider.GetUtcNow()) }, cancellationToken).ConfigureAwait(false);
    }

    private Task SayAsync(ITurnContext turn, WordKey key, object? data, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(data is null ? words.Format(key, turn.Activity.Locale) : words.Format(key, turn.Activity.Locale, data), cancellationToken: cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountNo} set its notification time zone to {Zone}")]
    private static partial void LogTimeZoneSet(ILogger logger, long accountNo, string zone);
}
