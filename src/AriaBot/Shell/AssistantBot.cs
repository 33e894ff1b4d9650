using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Privacy;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging;

namespace AriaBot.Shell;

/// <summary>What the shell remembers about a conversation, apart from its dialog stack.</summary>
public sealed class ShellState
{
    public bool Greeted { get; set; }

    /// <summary>The locale the conversation speaks when the customer chose another than the channel's (<see cref="ConversationLanguage"/>).</summary>
    public string? Language { get; set; }

    /// <summary>The channel's locale when <see cref="Language"/> was chosen: once the channel sends another, the choice yields to it.</summary>
    public string? ChannelLocale { get; set; }
}

/// <summary>
/// The assistant's turn: settle any write left pending in this conversation first (invariant 3, docs/invariants.md), refuse to treat a
/// card number or password typed into chat as an answer (invariant 4, docs/invariants.md), greet once when the conversation opens,
/// and otherwise run the main dialog. A turn cut off by a crash is never run again: the runtime hands it to
/// <see cref="OnInterruptedTurnAsync"/>, which settles and tells instead.
/// </summary>
public sealed class AssistantBot(
    ConversationState conversationState,
    MainDialog main,
    WriteReconciliation reconciliation,
    IWriteLedger intents,
    IAccountSession session,
    IAriaClient aria,
    IWords words,
    TimeProvider timeProvider,
    ILogger<AssistantBot> logger) : ActivityHandler, IInterruptedTurnBot
{
    /// <summary>A conversation idle for longer starts again rather than resuming a question asked long ago.</summary>
    public static readonly TimeSpan ConversationExpiry = TimeSpan.FromHours(12);

    private readonly IStatePropertyAccessor<DialogState> _dialogState = conversationState.CreateProperty<DialogState>("DialogState");
    private readonly IStatePropertyAccessor<ShellState> _shellState = conversationState.CreateProperty<ShellState>("Shell");

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.Activity.Type is ActivityTypes.Message or ActivityTypes.ConversationUpdate or ActivityTypes.Event)
        {
            await reconciliation.SettleConversationAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        await base.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The process died in the middle of this conversation's turn (the "yes" to a preview, say). Whatever it wrote is
    /// reconciled by reading the account — never written again — and the customer hears where things stand. When a
    /// write was settled, the question it answered is spent, so the conversation starts afresh from the next message.
    /// </summary>
    public async Task OnInterruptedTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var locale = turnContext.Activity.Locale;
        var open = await intents.OpenForConversationAsync(turnContext.Activity.ConversationKey, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(words.Format(open.Count > 0 ? ShellWords.InterruptedTurnSettled : ShellWords.InterruptedTurn, locale), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (await reconciliation.SettleConversationAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            await _dialogState.DeleteAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (ChatPrivacyMiddleware.SensitiveInputDetected(turnContext))
        {
            // The secret is already cut out of the message; it is not an answer to anything.
            // Only our own Direct Line stores the echo redacted; a channel's own history keeps what was typed.
            var warning = turnContext.Activity.ChannelId == Channels.DirectLine ? CommonWords.PrivacyWarning : CommonWords.PrivacyWarningChannelHistory;
            await turnContext.SendActivityAsync(words.Format(warning, turnContext.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        var shell = (await _shellState.GetAsync(turnContext, () => new ShellState(), cancellationToken).ConfigureAwait(false))!;
        shell.Greeted = true;
        await main.RunAsync(turnContext, _dialogState, new DialogRunOptions
        {
            RestartMessage = (turn, _) => MessageFactory.Text(words.Format(ShellWords.Restarted, turn.Activity.Locale)),
            ExpireAfter = ConversationExpiry,
            ExpiredMessage = turn => MessageFactory.Text(words.Format(ShellWords.Expired, turn.Activity.Locale)),
            TimeProvider = timeProvider,
            Logger = logger,
        }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task OnConversationUpdateActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        // Teams announces an install with the bot itself in membersAdded (and often no one else): greet then.
        if (BotRuntime.Teams.TeamsActivity.IsTeams(turnContext.Activity) && BotRuntime.Teams.TeamsActivity.BotWasAdded(turnContext.Activity))
        {
            await GreetOnceAsync(turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }
        await base.OnConversationUpdateActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    protected override Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) =>
        GreetOnceAsync(turnContext, cancellationToken);

    protected override Task OnEventActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        // Web Chat's "join" event is the usual cue to greet where conversationUpdate arrives late or not at all.
        return turnContext.Activity.Name == "webchat/join" ? GreetOnceAsync(turnContext, cancellationToken) : Task.CompletedTask;
    }

    private async Task GreetOnceAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var shell = (await _shellState.GetAsync(turnContext, () => new ShellState(), cancellationToken).ConfigureAwait(false))!;
        if (shell.Greeted)
        {
            return;
        }
        shell.Greeted = true;
        var locale = turnContext.Activity.Locale;
        var check = await session.CheckAsync(turnContext, cancellationToken).ConfigureAwait(false);
        string welcome;
        if (check.IsSignedIn)
        {
            var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = check.AccountNo }, cancellationToken).ConfigureAwait(false);
            var name = details.IsSuccess && !string.IsNullOrWhiteSpace(details.Value.FirstName) ? details.Value.FirstName! : check.AriaUserId ?? string.Empty;
            welcome = words.Format(ShellWords.WelcomeSignedIn, locale, new { name });
        }
        else
        {
            welcome = words.Format(ShellWords.WelcomeSignedOut, locale);
        }
        await turnContext.SendActivityAsync(welcome, cancellationToken: cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.SuggestedActions(main.MenuButtons(locale, check.IsSignedIn), words.Format(ShellWords.MenuPrompt, locale)), cancellationToken).ConfigureAwait(false);
    }
}
