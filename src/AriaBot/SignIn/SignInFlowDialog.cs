using System.Globalization;
using System.Text.RegularExpressions;
using AriaBot.Language;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Privacy;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

internal enum SignInPhase
{
    /// <summary>A link was sent; a code is expected.</summary>
    WaitingForCode,

    /// <summary>The sign-in ended without success (expired, burned); a new link was offered.</summary>
    OfferingNewLink,
}

/// <summary>The flow's saved state. No secret: the link's state and the code live only in storage, hashed.</summary>
internal sealed class SignInFlowState
{
    public SignInReason Reason { get; set; }

    /// <summary>The chat user the link was made for; only their code counts.</summary>
    public string StartedBy { get; set; } = string.Empty;

    public SignInPhase Phase { get; set; }
}

/// <summary>The inside of <see cref="SignInDialog"/>: one dialog with two phases, because the wait for the code loops.</summary>
internal sealed partial class SignInFlowDialog(IAccountSession accountSession, SignInLinks links, IWords words, IOptionsMonitor<SignInOptions> options)
    : Dialog(FlowId, version: 1)
{
    public const string FlowId = "signInFlow";

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var turn = dc.Context;
        var reason = (options as SignInDialogOptions)?.Reason ?? SignInReason.FirstSignIn;
        var key = BindingKey.For(turn);
        if (key is null)
        {
            BotRuntime.Teams.PrivateChatRequest.Set(turn);
            await SayAsync(turn, SignInWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var check = await accountSession.CheckAsync(turn, cancellationToken).ConfigureAwait(false);
        switch (check.Status)
        {
            case SessionStatus.SignedIn when check.AccountNo is { } accountNo:
                return await dc.EndDialogAsync(new SignInResult(accountNo, check.AriaUserId ?? string.Empty), cancellationToken).ConfigureAwait(false);
            case SessionStatus.Unavailable:
                await SayAsync(turn, SignInWords.CheckUnavailable, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
            case SessionStatus.GroupConversation:
                BotRuntime.Teams.PrivateChatRequest.Set(turn);
                await SayAsync(turn, SignInWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var state = new SignInFlowState { Reason = reason, StartedBy = key.UserId, Phase = SignInPhase.WaitingForCode };
        dc.ActiveDialog!.SetState(state);
        var intro = reason switch
        {
            SignInReason.SessionExpired => SignInWords.LinkIntroExpired,
            SignInReason.Requested => SignInWords.LinkIntroRequested,
            _ => SignInWords.LinkIntro,
        };
        return await SendLinkAsync(dc, state, key, intro, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var turn = dc.Context;
        if (!turn.Activity.IsType(ActivityTypes.Message))
        {
            return EndOfTurn;
        }
        var state = StateOf(dc.ActiveDialog!);
        var key = BindingKey.For(turn);
        if (key is null)
        {
            BotRuntime.Teams.PrivateChatRequest.Set(turn);
            await SayAsync(turn, SignInWords.PrivateChatOnly, cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var text = turn.Activity.Text ?? string.Empty;
        var code = ReadCode(text);
        if (code is not null || LooksLikeDigits(text))
        {
            // Whatever it turns out to be, a typed code never reaches a transcript, a log or an agent in clear.
            TurnSecrets.MarkIncomingText(turn);
            if (code is not null)
            {
                TurnSecrets.Mark(turn, code);
            }
        }

        if (IsNewLinkRequest(text) || (state.Phase == SignInPhase.OfferingNewLink && code is null && Confirm(text, turn) == true))
        {
            state.StartedBy = key.UserId;
            state.Phase = SignInPhase.WaitingForCode;
            return await SendLinkAsync(dc, state, key, null, cancellationToken).ConfigureAwait(false);
        }

        if (state.Phase == SignInPhase.OfferingNewLink)
        {
            if (code is null && Confirm(text, turn) == false)
            {
                await SayAsync(turn, SignInWords.OfferDeclined, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
            }
            await OfferAsync(turn, code is null ? SignInWords.OfferReminder : SignInWords.NoSignIn, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        if (code is null)
        {
            return await RemindAsync(dc, state, key, cancellationToken).ConfigureAwait(false);
        }
        if (key.UserId != state.StartedBy)
        {
            await SayAsync(turn, SignInWords.OnlyStarter, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        var redemption = await links.RedeemAsync(turn, key, code, cancellationToken).ConfigureAwait(false);
        switch (redemption.Outcome)
        {
            case CodeOutcome.SignedIn when redemption.Check is { AccountNo: { } accountNo } check:
                await SayAsync(turn, SignInWords.SignedIn, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(new SignInResult(accountNo, check.AriaUserId ?? string.Empty), cancellationToken).ConfigureAwait(false);
            case CodeOutcome.Wrong:
                var wrong = redemption.AttemptsLeft == 1
                    ? words.Format(SignInWords.CodeWrongOneLeft, turn.Activity.Locale)
                    : words.Format(SignInWords.CodeWrongSomeLeft, turn.Activity.Locale, new { attemptsLeft = redemption.AttemptsLeft });
                await turn.SendActivityAsync(MessageFactory.Text(wrong, inputHint: InputHints.ExpectingInput), cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            case CodeOutcome.NotSignedInOnPageYet:
                await SayAsync(turn, SignInWords.NotSignedInOnPageYet, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            case CodeOutcome.RateLimited:
                await SayAsync(turn, SignInWords.CodeRateLimited, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            case CodeOutcome.Unavailable:
                await SayAsync(turn, SignInWords.CodeUnavailable, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            default:
                state.Phase = SignInPhase.OfferingNewLink;
                await OfferAsync(turn, redemption.Outcome switch
                {
                    CodeOutcome.Burned => SignInWords.CodeBurned,
                    CodeOutcome.CodeExpired => SignInWords.CodeExpired,
                    CodeOutcome.LinkExpired => SignInWords.LinkExpired,
                    _ => SignInWords.NoSignIn,
                }, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
        }
    }

    /// <summary>After an interruption (help): ask again for what the flow waits for.</summary>
    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(instance);
        var state = StateOf(instance);
        if (state.Phase == SignInPhase.OfferingNewLink)
        {
            await OfferAsync(turnContext, SignInWords.OfferReminder, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RemindWaitingAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Cancelled (the user said cancel, or the shell started over): a session the page opened must not linger.</summary>
    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(instance);
        if (reason == DialogReason.CancelCalled && instance.GetState<SignInFlowState>() is { StartedBy.Length: > 0 } state
            && BindingKey.For(turnContext) is { } key)
        {
            await links.CancelAsync(key with { UserId = state.StartedBy }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DialogTurnResult> SendLinkAsync(DialogContext dc, SignInFlowState state, BindingKey key, Language.WordKey? intro, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        var locale = turn.Activity.Locale;
        var creation = await links.CreateAsync(key, locale, dc.Context.Activity.GetConversationReference(), cancellationToken).ConfigureAwait(false);
        if (creation.Status == LinkCreationStatus.RateLimited || creation.Link is not { } link)
        {
            await SayAsync(turn, SignInWords.LinkRateLimited, cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        // The link opens the page for this conversation: recorders of this turn redact it like a code.
        var url = link.Url.AbsoluteUri;
        TurnSecrets.Mark(turn, url);
        if (StateOfUrl(link.Url) is { } linkState)
        {
            TurnSecrets.Mark(turn, linkState);
        }

        var minutes = (int)Math.Round(options.CurrentValue.LinkLifetime.TotalMinutes);
        var card = new HeroCard
        {
            Title = words.Format(SignInWords.LinkTitle, locale),
            Text = words.Format(SignInWords.LinkCodeHint, locale, new { minutes = minutes.ToString(CultureInfo.InvariantCulture) }),
            Buttons = [CardAction.OpenUrl(words.Format(SignInWords.LinkButton, locale), url)],
        };
        var message = MessageFactory.Attachment(card.ToAttachment(), intro is null ? null : words.Format(intro, locale), InputHints.ExpectingInput);
        await turn.SendActivityAsync(message, cancellationToken).ConfigureAwait(false);
        state.Phase = SignInPhase.WaitingForCode;
        dc.ActiveDialog!.SetState(state);
        return EndOfTurn;
    }

    /// <summary>Not a code while waiting: say why if the sign-in ran out meanwhile, otherwise remind briefly.</summary>
    private async Task<DialogTurnResult> RemindAsync(DialogContext dc, SignInFlowState state, BindingKey key, CancellationToken cancellationToken)
    {
        var turn = dc.Context;
        if (key.UserId == state.StartedBy)
        {
            var status = await links.GetStatusAsync(key, cancellationToken).ConfigureAwait(false);
            var ended = status switch
            {
                PendingSignInStatus.LinkExpired => SignInWords.LinkExpired,
                PendingSignInStatus.CodeExpired => SignInWords.CodeExpired,
                PendingSignInStatus.None => SignInWords.NoSignIn,
                _ => null,
            };
            if (ended is not null)
            {
                // Forget it now (ending a session the page may have opened) rather than when a late code arrives.
                await links.CancelAsync(key, cancellationToken).ConfigureAwait(false);
                state.Phase = SignInPhase.OfferingNewLink;
                dc.ActiveDialog!.SetState(state);
                await OfferAsync(turn, ended, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            }
        }
        await RemindWaitingAsync(turn, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    private Task RemindWaitingAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var message = MessageFactory.SuggestedActions([words.Format(SignInWords.NewLinkButton, locale)], words.Format(SignInWords.WaitingForCode, locale), InputHints.ExpectingInput);
        return turn.SendActivityAsync(message, cancellationToken);
    }

    private Task OfferAsync(ITurnContext turn, Language.WordKey sentence, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var buttons = new[]
        {
            CardAction.ImBack(words.Format(CommonWords.Yes, locale), ConfirmInput.YesButtonValue(locale)),
            CardAction.ImBack(words.Format(CommonWords.No, locale), ConfirmInput.NoButtonValue(locale)),
        };
        return turn.SendActivityAsync(MessageFactory.SuggestedActions(buttons, words.Format(sentence, locale), InputHints.ExpectingInput), cancellationToken);
    }

    private Task SayAsync(ITurnContext turn, Language.WordKey sentence, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(MessageFactory.Text(words.Format(sentence, turn.Activity.Locale)), cancellationToken);

    private static bool? Confirm(string text, ITurnContext turn)
    {
        var result = ConfirmInput.Recognize(text, turn.Activity.Locale);
        return result.Succeeded ? result.Value : null;
    }

    /// <summary>
    /// The 6-digit code in what the user typed: "123456", "123 456", "123-456", also with a few words around it
    /// ("code: 123 456"). Exactly six digits in the whole message, so a phone number is not taken for a code.
    /// </summary>
    internal static string? ReadCode(string text)
    {
        if (text.Length > 40 || text.Count(char.IsAsciiDigit) != 6)
        {
            return null;
        }
        var match = CodePattern().Match(text);
        return match.Success ? match.Groups["a"].Value + match.Groups["b"].Value : null;
    }

    /// <summary>Mostly digits (a code mistyped, half a code): kept out of transcripts all the same.</summary>
    private static bool LooksLikeDigits(string text) => text.Count(char.IsAsciiDigit) >= 4;

    private static bool IsNewLinkRequest(string text) => text.Length <= 60 && NewLinkPattern().IsMatch(TextFolding.Fold(text));

    private static string? StateOfUrl(Uri url)
    {
        const string name = "state=";
        var query = url.Query;
        var at = query.IndexOf(name, StringComparison.Ordinal);
        return at < 0 ? null : query[(at + name.Length)..].Split('&')[0];
    }

    private static SignInFlowState StateOf(DialogInstance instance) =>
        instance.GetState<SignInFlowState>() ?? throw new DialogStateMismatchException($"'{instance.Id}' has no saved state.");

    [GeneratedRegex(@"(?<!\d)(?<a>\d{3})[ \-]?(?<b>\d{3})(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodePattern();

    // "new link", "another link", "send the link again", "nuevo enlace", "otro enlace", "enlace nuevo".
    [GeneratedRegex(@"\b(new|another|fresh)\b.*\blink\b|\blink\b.*\bagain\b|\b(nuevo|otro)\b.*\benlace\b|\benlace\b.*\b(nuevo|otra vez|de nuevo)\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NewLinkPattern();
}
