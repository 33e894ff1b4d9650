using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Notifications.Delivery;

/// <summary>
/// Shows web-chat notices held for the account when the customer is next in a web chat signed in: after the turn's own
/// replies (the welcome of a newly opened chat, or the end of signing in), and only once this turn's session check
/// (<c>validate_session_m</c>) says the chat is signed in to that very account. A chat that is not signed in costs one
/// binding read and nothing else.
/// </summary>
public sealed partial class HeldNoticeMiddleware(
    HeldNotices held,
    ISessionBindings bindings,
    IAccountSession session,
    IWords words,
    IOptionsMonitor<SelfServiceOptions> selfService,
    ILogger<HeldNoticeMiddleware> logger) : BotRuntime.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var spoke = false;
        turnContext.OnSendActivities((_, activities, sendNext) =>
        {
            spoke |= activities.Exists(sent => sent.IsType(ActivityTypes.Message));
            return sendNext();
        });
        await next(cancellationToken).ConfigureAwait(false);

        var activity = turnContext.Activity;
        // Only after a turn that said something (Web Chat shows the buttons of the newest message only): a newly opened
        // chat's silent conversationUpdate would otherwise put the notice before the welcome, whose menu hides its button.
        if (!spoke || !NoticeKinds.IsHeldChannel(activity.ChannelId)
            || activity.Type is not (ActivityTypes.Message or ActivityTypes.ConversationUpdate or ActivityTypes.Event)
            || !selfService.CurrentValue.Sections.Notifications
            || BindingKey.For(turnContext) is not { } key
            || await bindings.GetForTurnAsync(turnContext, key, cancellationToken).ConfigureAwait(false) is not { } binding)
        {
            return;
        }
        var notices = await held.ForAccountAsync(binding.AccountNo, cancellationToken).ConfigureAwait(false);
        if (notices.Count == 0)
        {
            return;
        }
        var check = await session.CheckAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (!check.IsAccount(binding.AccountNo))
        {
            return;
        }
        // Two events of one kind (two invoices) need one notice: the button shows them all.
        foreach (var kind in notices.Select(n => n.Kind).Distinct())
        {
            await turnContext.SendActivityAsync(NoticeMessage.Build(words, kind, activity.Locale), cancellationToken).ConfigureAwait(false);
        }
        await held.RemoveAsync(binding.AccountNo, notices.Select(n => n.NoticeId), cancellationToken).ConfigureAwait(false);
        LogShown(logger, notices.Count, binding.AccountNo);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} held notice(s) shown for account {AccountNo}")]
    private static partial void LogShown(ILogger logger, int count, long accountNo);
}
