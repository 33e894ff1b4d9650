using AriaBot.Language;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Dialogs;

namespace AriaBot.Conversation;

/// <summary>
/// The base of every dialog that reads or changes account data. Each of its turns first runs the session check
/// (<c>validate_session_m</c>, once per turn), and acts only on the account Aria returns:
/// <list type="bullet">
/// <item>not signed in, or the session expired (1011): sign-in runs on top of this dialog, which then resumes
/// where the customer was — or begins, if it had not yet;</item>
/// <item>the session now belongs to another account than the one the dialog began with: it ends, writing nothing;</item>
/// <item>a group conversation: it ends, since sessions never bind there;</item>
/// <item>Aria unreachable: it says so and keeps its place.</item>
/// </list>
/// </summary>
public abstract class AccountDialog : ComponentDialog
{
    private const string AccountKey = "account";
    private const string PendingOptionsKey = "pendingOptions";
    private const string StartedKey = "started";

    protected AccountDialog(string id, int version, IAccountSession session, IWords words)
        : base(id, version)
    {
        Session = session;
        Words = words;
    }

    protected IAccountSession Session { get; }

    protected IWords Words { get; }

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var check = await Session.CheckAsync(dc.Context, cancellationToken).ConfigureAwait(false);
        switch (check.Status)
        {
            case SessionStatus.SignedIn:
                return await StartAsync(dc, options, cancellationToken).ConfigureAwait(false);
            case SessionStatus.NotSignedIn or SessionStatus.Expired:
                // Keep the request for after sign-in; the component's state exists so the sign-in can resume us.
                var instance = dc.ActiveDialog!;
                var state = new ComponentState();
                state.Values.Set(PendingOptionsKey, new PendingOptions(options));
                instance.SetState(state);
                return await dc.BeginDialogAsync(SignInDialog.DialogId, new SignInDialogOptions { Reason = Reason(check) }, cancellationToken).ConfigureAwait(false);
            default:
                await SayWhyNotAsync(dc, check, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var check = await Session.CheckAsync(dc.Context, cancellationToken).ConfigureAwait(false);
        var values = ValuesOf(dc.ActiveDialog!);
        switch (check.Status)
        {
            case SessionStatus.SignedIn when values.Get<long?>(AccountKey) is { } account && account != check.AccountNo:
                await dc.Context.SendActivityAsync(Words.Format(ShellWords.DifferentAccount, dc.Context.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
            case SessionStatus.SignedIn:
                return await base.ContinueDialogAsync(dc, cancellationToken).ConfigureAwait(false);
            case SessionStatus.NotSignedIn or SessionStatus.Expired:
                // The sign-in card says why (first sign-in, or the session expired) and that we will carry on.
                return await dc.BeginDialogAsync(SignInDialog.DialogId, new SignInDialogOptions { Reason = Reason(check) }, cancellationToken).ConfigureAwait(false);
            case SessionStatus.Unavailable:
                // The message is not lost on the dialog: the customer can send it again once Aria is back.
                await SayWhyNotAsync(dc, check, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            default:
                await SayWhyNotAsync(dc, check, cancellationToken).ConfigureAwait(false);
                return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sign-in (begun by this dialog or one inside it) ended: begin the task, or carry on where it was.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var check = await Session.CheckAsync(dc.Context, cancellationToken).ConfigureAwait(false);
        var values = ValuesOf(dc.ActiveDialog!);
        if (!check.IsSignedIn)
        {
            // Sign-in did not happen (declined, too many tries, a group chat): nothing was done.
            return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }
        if (!values.ContainsKey(StartedKey))
        {
            var pending = values.Get<PendingOptions>(PendingOptionsKey);
            return await StartAsync(dc, pending?.Options, cancellationToken).ConfigureAwait(false);
        }
        if (values.Get<long?>(AccountKey) != check.AccountNo)
        {
            await dc.Context.SendActivityAsync(Words.Format(ShellWords.DifferentAccount, dc.Context.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }
        return await base.ResumeDialogAsync(dc, reason, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For a dialog inside this one that finds the session expired mid-task (e.g. at the write): sign-in runs on
    /// top of the nearest account dialog, which resumes the task afterwards.
    /// </summary>
    public static async Task<DialogTurnResult> RequireSignInAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        for (var dc = innerDc.Parent; dc is not null; dc = dc.Parent)
        {
            if (dc.ActiveDialog is { } instance && dc.FindDialog(instance.Id) is AccountDialog)
            {
                await dc.BeginDialogAsync(SignInDialog.DialogId, new SignInDialogOptions { Reason = SignInReason.SessionExpired }, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            }
        }
        throw new InvalidOperationException("RequireSignInAsync is for dialogs running inside an AccountDialog.");
    }

    private Task<DialogTurnResult> StartAsync(DialogContext dc, object? options, CancellationToken cancellationToken) =>
        base.BeginDialogAsync(dc, options, cancellationToken);

    protected override async Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        // The turn's check is cached: this costs no Aria call, and it is the account Aria just validated.
        var check = await Session.CheckAsync(innerDc.Context, cancellationToken).ConfigureAwait(false);
        var values = ValuesOf(innerDc.Parent!.ActiveDialog!);
        values.Set(AccountKey, check.AccountNo);
        values.Set(StartedKey, true);
        return await base.OnBeginDialogAsync(innerDc, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The account the enclosing account dialog began with (for its steps; equal to the turn's validated account).</summary>
    public static long AccountOfDialog(DialogContext innerDc)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        for (var dc = innerDc.Parent; dc is not null; dc = dc.Parent)
        {
            if (dc.ActiveDialog is { } instance && dc.FindDialog(instance.Id) is AccountDialog && instance.GetState<ComponentState>()?.Values.Get<long?>(AccountKey) is { } account)
            {
                return account;
            }
        }
        throw new InvalidOperationException("AccountOfDialog is for dialogs running inside an AccountDialog.");
    }

    /// <summary>Says <paramref name="text"/> and ends the task (nothing was changed; the shell asks what next).</summary>
    protected static async Task<DialogTurnResult> SayAndEndAsync(DialogContext dc, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dc);
        await dc.Context.SendActivityAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await dc.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A prompt ran out of attempts: say so plainly and end the task rather than loop.</summary>
    protected Task<DialogTurnResult> GiveUpAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dc);
        PersonRequests.Request(dc.Context, PersonRequests.TooManyAttempts);
        return SayAndEndAsync(dc, Words.Format(CommonWords.TooManyAttempts, dc.Context.Activity.Locale), cancellationToken);
    }

    private async Task SayWhyNotAsync(DialogContext dc, SessionCheck check, CancellationToken cancellationToken)
    {
        var key = check.Status == SessionStatus.GroupConversation ? ShellWords.PrivateChatOnly : ShellWords.AriaUnavailable;
        if (check.Status == SessionStatus.GroupConversation)
        {
            // The channel may offer a private chat (Teams/); the refusal itself stays the same everywhere.
            BotRuntime.Teams.PrivateChatRequest.Set(dc.Context);
        }
        await dc.Context.SendActivityAsync(Words.Format(key, dc.Context.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static SignInReason Reason(SessionCheck check) =>
        check.Status == SessionStatus.Expired ? SignInReason.SessionExpired : SignInReason.FirstSignIn;

    /// <summary>The begin options kept while the customer signs in first.</summary>
    private sealed record PendingOptions(object? Options);
}
