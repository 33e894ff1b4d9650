using AriaBot.Language;
using AriaBot.Session;
using BotRuntime.Dialogs;
using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

/// <summary>Why sign-in begins; the first sentence differs.</summary>
public enum SignInReason
{
    /// <summary>The user asked for something that needs their account and is not signed in.</summary>
    FirstSignIn,

    /// <summary>Aria said the session is invalid or expired (1011): sign in again, then resume.</summary>
    SessionExpired,

    /// <summary>The user asked to sign in.</summary>
    Requested,
}

/// <summary>Options of <see cref="SignInDialog"/>.</summary>
public sealed class SignInDialogOptions
{
    public SignInReason Reason { get; init; } = SignInReason.FirstSignIn;
}

/// <summary>What <see cref="SignInDialog"/> ends with when the user is signed in (from Aria's validation).</summary>
public sealed record SignInResult(long AccountNo, string AriaUserId);

/// <summary>
/// Sign-in by link and code, for any channel. Begin it with <see cref="SignInDialogOptions"/>; it ends with a
/// <see cref="SignInResult"/> once the session is bound (at once when the user already is signed in), or with null
/// when sign-in cannot happen here (a group conversation, too many links, Aria down, the user declined a new link).
/// The dialog sends a card with a link to the sign-in page, then waits for the 6-digit code the page shows; the
/// code only counts when the user who asked for the link types it in this conversation. Passwords are never asked
/// for in chat. Global commands (help, cancel) are the shell's: it wraps this dialog in its interruptions.
/// </summary>
public sealed class SignInDialog : ComponentDialog
{
    public const string DialogId = "signIn";

    public SignInDialog(IAccountSession accountSession, SignInLinks links, IWords words, IOptionsMonitor<SignInOptions> options)
        : base(DialogId, version: 1)
    {
        AddDialog(new SignInFlowDialog(accountSession, links, words, options));
    }
}
