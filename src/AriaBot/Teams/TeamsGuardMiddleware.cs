using System.Text.Json;
using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Teams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Teams;

/// <summary>
/// The assistant's rules for Microsoft Teams, around every Teams turn:
/// <list type="bullet">
/// <item>a tenant not on <c>Teams:AllowedTenants</c> gets a polite refusal and nothing else runs (no session check,
/// no dialog, no Aria call);</item>
/// <item>a button press counts only from the person the card was shown to; after the press the card is updated
/// without its buttons, so it cannot be pressed again;</item>
/// <item>where a dialog declined to show an account in a group chat or channel (<see cref="PrivateChatRequest"/>),
/// the refusal is followed by a deep link to the bot's personal chat.</item>
/// </list>
/// </summary>
public sealed partial class TeamsGuardMiddleware(
    IStorage storage,
    IWords words,
    IOptionsMonitor<TeamsOptions> teams,
    IOptionsMonitor<BotCredentialsOptions> credentials,
    TeamsPrivateChat privateChat,
    TimeProvider timeProvider,
    ILogger<TeamsGuardMiddleware> logger) : BotRuntime.Builder.IMiddleware
{
    internal const string CardKeyPrefix = "teams-cards/";

    /// <summary>How long a posted card's buttons stay tied to the person they were shown to.</summary>
    private static readonly TimeSpan CardLifetime = TimeSpan.FromDays(2);

    /// <summary>What is stored per card with answering buttons (its look once answered, and who may answer).</summary>
    internal sealed class CardRecord
    {
        public string ShownTo { get; set; } = string.Empty;
        public string? Text { get; set; }
        public JsonElement Attachments { get; set; }
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (!TeamsActivity.IsTeams(activity))
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!teams.CurrentValue.IsTenantAllowed(TeamsActivity.TenantId(activity)))
        {
            await RefuseTenantAsync(turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }
        // A press carries a value (Action.Submit, messageBack); typing in a card's thread is not a press.
        if (activity.IsType(ActivityTypes.Message) && !string.IsNullOrEmpty(activity.ReplyToId) && activity.Value is { ValueKind: JsonValueKind.Object or JsonValueKind.String }
            && !await SettleCardPressAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        turnContext.OnSendActivities(async (context, replies, nextSend) =>
        {
            var responses = await nextSend().ConfigureAwait(false);
            await RememberCardsAsync(replies, responses, cancellationToken).ConfigureAwait(false);
            return responses;
        });
        await next(cancellationToken).ConfigureAwait(false);

        if (PrivateChatRequest.IsSet(turnContext) && !TeamsActivity.IsPersonal(activity))
        {
            await OfferPrivateChatAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RefuseTenantAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        LogTenantRefused(logger, TeamsActivity.TenantId(activity) ?? "(none)");
        if (activity.IsType(ActivityTypes.Message) || TeamsActivity.BotWasAdded(activity))
        {
            await turnContext.SendActivityAsync(words.Format(TeamsWords.TenantNotAllowed, activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (activity.IsType(ActivityTypes.Invoke))
        {
            turnContext.TurnState.Set(ActivityHandler.InvokeResponseKey, new InvokeResponse { Status = 403 });
        }
    }

    /// <summary>
    /// A message answering one of our cards: false (and nothing runs) when the presser is not the person it was shown
    /// to; otherwise the card loses its buttons before the answer runs, so a second press cannot reach the bot.
    /// </summary>
    private async Task<bool> SettleCardPressAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var key = CardKey(activity.Conversation?.Id, activity.ReplyToId);
        var record = key is null ? null : (await storage.ReadAsync<CardRecord>(key, cancellationToken).ConfigureAwait(false))?.Value;
        if (record is null)
        {
            return true;
        }
        if (!string.Equals(record.ShownTo, activity.From?.Id, StringComparison.Ordinal))
        {
            LogForeignPress(logger);
            await turnContext.SendActivityAsync(words.Format(TeamsWords.NotYourCard, activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return false;
        }
        var attachments = record.Attachments.Deserialize<List<Attachment>>(BotJson.Options) ?? [];
        var update = activity.CreateReply(record.Text);
        update.Id = activity.ReplyToId;
        update.ReplyToId = null;
        update.Attachments = TeamsCards.Answered(attachments, words.Format(TeamsWords.CardAnswered, activity.Locale));
        try
        {
            await turnContext.UpdateActivityAsync(update, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A card that cannot be updated must not cost the customer their answer; the bot still refuses stale presses itself.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogUpdateFailed(logger, exception);
        }
        await storage.DeleteAsync(key!, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task RememberCardsAsync(List<Activity> replies, ResourceResponse[] responses, CancellationToken cancellationToken)
    {
        for (var i = 0; i < replies.Count && i < responses.Length; i++)
        {
            var reply = replies[i];
            if (!reply.IsType(ActivityTypes.Message) || !TeamsCards.HasAnsweringButtons(reply) || CardKey(reply.Conversation?.Id, responses[i]?.Id) is not { } key
                || reply.Recipient?.Id is not { Length: > 0 } shownTo)
            {
                continue;
            }
            var record = new CardRecord
            {
                ShownTo = shownTo,
                Text = reply.Text,
                Attachments = JsonSerializer.SerializeToElement(reply.Attachments, BotJson.Options),
            };
            await storage.WriteAsync(key, record, StoreWrite.AnyETag, timeProvider.GetUtcNow() + CardLifetime, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The bot opens its 1:1 chat with the user and says hello there; where Teams refuses (the app is not installed for
    /// that user), a deep link to the bot's personal chat (<c>28:{app id}</c>): it opens the one-to-one chat where the app is
    /// installed for the user, and offers to add it where it is not. Nothing of the account is in it.
    /// </summary>
    private async Task OfferPrivateChatAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var hello = MessageFactory.Text(words.Format(TeamsWords.PrivateHello, activity.Locale));
        if (await privateChat.TrySendAsync(turnContext, hello, cancellationToken).ConfigureAwait(false))
        {
            await turnContext.SendActivityAsync(words.Format(TeamsWords.SentPrivately, activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        var botId = activity.Recipient?.Id is { } id && id.StartsWith("28:", StringComparison.Ordinal) ? id
            : credentials.CurrentValue.MicrosoftAppId is { Length: > 0 } appId ? "28:" + appId : null;
        if (botId is null)
        {
            return;
        }
        var link = "https://teams.microsoft.com/l/chat/0/0?users=" + Uri.EscapeDataString(botId);
        var locale = activity.Locale;
        var card = new HeroCard
        {
            Text = words.Format(TeamsWords.ContinuePrivately, locale),
            Buttons = [CardAction.OpenUrl(words.Format(TeamsWords.OpenPrivateChat, locale), link)],
        };
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card.ToAttachment()), cancellationToken).ConfigureAwait(false);
    }

    internal static string? CardKey(string? conversationId, string? activityId) =>
        string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(activityId)
            ? null
            : $"{CardKeyPrefix}{Uri.EscapeDataString(conversationId)}/{Uri.EscapeDataString(activityId)}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams activity from tenant {TenantId} refused: not on Teams:AllowedTenants")]
    private static partial void LogTenantRefused(ILogger logger, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A card's button was pressed by someone other than the person it was shown to; ignored")]
    private static partial void LogForeignPress(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update an answered Teams card")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception);
}
