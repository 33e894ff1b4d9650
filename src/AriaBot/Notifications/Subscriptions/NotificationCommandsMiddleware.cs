using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;
using AriaBot.Notifications.Delivery;
using AriaBot.SelfService;
using AriaBot.Session;
using AriaBot.Understanding;
using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications.Subscriptions;

/// <summary>
/// "Notify me about my account here" and "stop notifications", answered before the dialogs (a one-turn action that
/// leaves whatever the customer was doing where it was). A whole message must be one of the phrases in
/// <c>dialogs/Notifications</c>; anything longer is the dialogs' business. Opting in needs this turn's session check
/// (the account is the one Aria returns) and is refused in group conversations; opting out works without signing in
/// for this chat, and signed in ends the account's notices on every channel.
/// </summary>
public sealed partial class NotificationCommandsMiddleware(
    IWords words,
    IAccountSession session,
    NotificationSubscriptions subscriptions,
    TimeZoneQuestion timeZones,
    IAriaClient aria,
    IOptionsMonitor<SelfServiceOptions> selfService,
    TimeProvider timeProvider,
    ILogger<NotificationCommandsMiddleware> logger) : BotRuntime.Builder.IMiddleware
{
    private enum Command
    {
        None,
        OptIn,
        OptOut,
        EmailOptIn,
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var command = Recognize(turnContext.Activity);
        if (command == Command.None)
        {
            if (selfService.CurrentValue.Sections.Notifications && await timeZones.TryHandleAsync(turnContext, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            // Web Chat shows only the newest message's buttons: the offer carries the turn's last buttons (the "anything
            // else?" menu) after its own, so offering notices never hides what the customer could do next.
            List<CardAction>? lastButtons = null;
            turnContext.OnSendActivities(async (_, activities, sendNext) =>
            {
                lastButtons = activities.LastOrDefault(a => a.SuggestedActions?.Actions is { Count: > 0 })?.SuggestedActions!.Actions ?? lastButtons;
                return await sendNext().ConfigureAwait(false);
            });
            await next(cancellationToken).ConfigureAwait(false);
            await OfferAfterChangeAsync(turnContext, lastButtons, cancellationToken).ConfigureAwait(false);
            return;
        }
        var locale = turnContext.Activity.Locale;
        if (!selfService.CurrentValue.Sections.Notifications)
        {
            await SayAsync(turnContext, NotificationWords.Off, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (command is Command.OptIn or Command.EmailOptIn)
        {
            await OptInAsync(turnContext, command == Command.EmailOptIn, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await OptOutAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private Command Recognize(Activity activity)
    {
        if (!activity.IsType(ActivityTypes.Message) || string.IsNullOrWhiteSpace(activity.Text) || activity.Text.Length > 80)
        {
            return Command.None;
        }
        var phrases = PhrasesOf(activity.Locale);
        // Every message is checked: an ASCII one (the usual) is normalised on the stack and looked up by span, with no
        // string made for it (issue 22); any other goes through Normalize.
        Span<char> normalized = stackalloc char[80];
        if (TryNormalizeAscii(activity.Text, normalized, out var length))
        {
            return phrases.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(normalized[..length], out var found) ? found : Command.None;
        }
        return phrases.TryGetValue(Normalize(activity.Text), out var command) ? command : Command.None;
    }

    /// <summary>
    /// <see cref="Normalize"/> for ASCII text, written into <paramref name="destination"/>: false (nothing written) when
    /// the text has a non-ASCII character or is longer than the destination. ASCII has no accents to take off and is
    /// its own canonical decomposition, so only trimming, lower case and the spaces are left to do.
    /// </summary>
    internal static bool TryNormalizeAscii(string text, Span<char> destination, out int length)
    {
        length = 0;
        if (text.Length > destination.Length || !System.Text.Ascii.IsValid(text))
        {
            return false;
        }
        var space = false;
        foreach (var c in text.AsSpan().Trim().TrimEnd(".!?"))
        {
            if (char.IsWhiteSpace(c))
            {
                space = length > 0;
                continue;
            }
            if (space)
            {
                destination[length++] = ' ';
                space = false;
            }
            destination[length++] = char.ToLowerInvariant(c);
        }
        return true;
    }

    // Every message is checked against the phrases, and the words never change while the process runs: the three lists are
    // rendered and normalised once per supported culture (keyed by the resolved culture, so a client's made-up locale
    // strings cannot grow the cache), not on every turn.
    private readonly ConcurrentDictionary<string, FrozenDictionary<string, Command>> _phrases = new(StringComparer.Ordinal);

    private FrozenDictionary<string, Command> PhrasesOf(string? locale) =>
        _phrases.GetOrAdd(BotCulture.Resolve(locale).Name, culture =>
        {
            var phrases = new Dictionary<string, Command>(StringComparer.Ordinal);
            // The first list that names a phrase wins, as the checks in this order did before.
            foreach (var (key, command) in new[] { (NotificationWords.OptInPhrases, Command.OptIn), (NotificationWords.EmailOptInPhrases, Command.EmailOptIn), (NotificationWords.OptOutPhrases, Command.OptOut) })
            {
                foreach (var phrase in words.FormatAll(key, culture))
                {
                    phrases.TryAdd(Normalize(phrase), command);
                }
            }
            return phrases.ToFrozenDictionary(StringComparer.Ordinal);
        });

    private async Task OptInAsync(ITurnContext turnContext, bool byEmail, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var check = await session.CheckAsync(turnContext, cancellationToken).ConfigureAwait(false);
        switch (check.Status)
        {
            case SessionStatus.GroupConversation:
                await SayAsync(turnContext, NotificationWords.NotInGroups, cancellationToken).ConfigureAwait(false);
                return;
            case SessionStatus.Unavailable:
                await SayAsync(turnContext, NotificationWords.Unavailable, cancellationToken).ConfigureAwait(false);
                return;
            case SessionStatus.NotSignedIn or SessionStatus.Expired:
                var signIn = words.Format(IntentWords.SignIn, activity.Locale);
                await turnContext.SendActivityAsync(MessageFactory.SuggestedActions([CardAction.ImBack(signIn)],
                    words.Format(check.Status == SessionStatus.Expired ? NotificationWords.OptInExpired : NotificationWords.OptInNeedsSignIn, activity.Locale)), cancellationToken).ConfigureAwait(false);
                return;
        }
        if (check.AccountNo is not { } accountNo || BindingKey.For(turnContext) is not { } key)
        {
            await SayAsync(turnContext, NotificationWords.NotInGroups, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (byEmail)
        {
            // To the address on file in Aria, read when a notice goes (never an address typed here).
            var emailAdded = await subscriptions.SubscribeEmailAsync(accountNo, activity.Locale, cancellationToken).ConfigureAwait(false);
            LogOptedIn(logger, accountNo, "email");
            await SayAsync(turnContext, emailAdded ? NotificationWords.EmailOptedIn : NotificationWords.AlreadyOptedIn, cancellationToken).ConfigureAwait(false);
            return;
        }
        // A zone the customer named before survives opting in again; the channel's own claim comes next.
        var earlier = (await subscriptions.ForAccountAsync(accountNo, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(s => s.Id == Subscription.IdOf(key.ChannelId, key.ConversationId, key.UserId) && s.TimeZoneChosen);
        var channelZone = QuietHours.Known(activity.LocalTimezone);
        var subscription = new Subscription
        {
            ChannelId = key.ChannelId,
            ConversationId = key.ConversationId,
            UserId = key.UserId,
            Ingress = key.Ingress,
            Reference = activity.GetConversationReference(),
            Locale = activity.Locale,
            TimeZone = earlier?.TimeZone ?? channelZone ?? await CountryTimeZoneAsync(accountNo, cancellationToken).ConfigureAwait(false),
            TimeZoneChosen = earlier is not null,
            OptedInAt = timeProvider.GetUtcNow(),
        };
        var added = await subscriptions.SubscribeAsync(accountNo, subscription, cancellationToken).ConfigureAwait(false);
        LogOptedIn(logger, accountNo, key.ChannelId);
        var said = !added ? NotificationWords.AlreadyOptedIn : NoticeKinds.IsHeldChannel(key.ChannelId) ? NotificationWords.OptedInHeld : NotificationWords.OptedIn;
        await SayAsync(turnContext, said, cancellationToken).ConfigureAwait(false);
        // Quiet hours matter only where notices are pushed (a held web-chat notice waits for the customer to open the
        // chat), and only a guess needs asking: the channel said nothing and the customer never named a zone.
        if (!NoticeKinds.IsHeldChannel(key.ChannelId) && earlier is null && channelZone is null)
        {
            await timeZones.AskAsync(turnContext, accountNo, subscription.Id, subscription.TimeZone, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a turn in which Aria applied a change, a one-to-one chat that does not get notices yet is offered them with
    /// one button (its title is an opt-in phrase, so pressing it is opting in, with that turn's session check).
    /// </summary>
    private async Task OfferAfterChangeAsync(ITurnContext turnContext, List<CardAction>? lastButtons, CancellationToken cancellationToken)
    {
        if (turnContext.TurnState.Get<AppliedWrite>() is null
            || !selfService.CurrentValue.Sections.Notifications
            || BindingKey.For(turnContext) is not { } key
            || await subscriptions.AccountOfChatAsync(Subscription.IdOf(key.ChannelId, key.ConversationId, key.UserId), cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }
        var locale = turnContext.Activity.Locale;
        var offer = CardAction.ImBack(words.Format(NotificationWords.OfferButton, locale));
        await turnContext.SendActivityAsync(MessageFactory.SuggestedActions([offer, .. lastButtons ?? []],
            words.Format(NotificationWords.OfferAfterChange, locale)), cancellationToken).ConfigureAwait(false);
    }

    private async Task OptOutAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var stopped = false;
        // Signed in, "stop" means the account: every channel it was subscribed on.
        var check = await session.CheckAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (check.AccountNo is { } accountNo && check.IsSignedIn)
        {
            stopped = await subscriptions.UnsubscribeAccountAsync(accountNo, cancellationToken).ConfigureAwait(false) > 0;
            LogOptedOut(logger, accountNo);
        }
        // Signed in or not, this chat's own subscription ends (whoever reads the notices here may stop them).
        if (activity.ChannelId is { Length: > 0 } channel && activity.Conversation?.Id is { Length: > 0 } conversation && activity.From?.Id is { Length: > 0 } user)
        {
            stopped |= await subscriptions.UnsubscribeChatAsync(channel, conversation, user, cancellationToken).ConfigureAwait(false);
        }
        await SayAsync(turnContext, stopped ? NotificationWords.OptedOut : NotificationWords.WasNotOptedIn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The account's country's main time zone (read after this turn's session check), or null for UTC.</summary>
    private async Task<string?> CountryTimeZoneAsync(long accountNo, CancellationToken cancellationToken)
    {
        var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = accountNo }, cancellationToken).ConfigureAwait(false);
        return details.IsSuccess ? QuietHours.ForCountry(details.Value.CountryCd) : null;
    }

    private Task SayAsync(ITurnContext turnContext, WordKey key, CancellationToken cancellationToken) =>
        turnContext.SendActivityAsync(words.Format(key, turnContext.Activity.Locale), cancellationToken: cancellationToken);

    /// <summary>Case, accents, repeated spaces and closing punctuation do not matter.</summary>
    internal static string Normalize(string text)
    {
        var decomposed = TextFolding.NormalizeFormD(text.Trim().TrimEnd('.', '!', '?').TrimStart('¡', '¿').ToLowerInvariant());
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountNo} opted in to notifications on {ChannelId}")]
    private static partial void LogOptedIn(ILogger logger, long accountNo, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountNo} opted out of notifications on every channel")]
    private static partial void LogOptedOut(ILogger logger, long accountNo);
}
