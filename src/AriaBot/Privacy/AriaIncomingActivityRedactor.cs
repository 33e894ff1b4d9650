using BotRuntime.Builder;
using AriaBot.Account.EmailChange;
using AriaBot.PasswordReset;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Privacy;

/// <summary>
/// The assistant's redaction of what a customer typed, run by Direct Line before its echo is stored: the runtime's
/// rules (card numbers, security codes, passwords, in the text and in card submits), plus "a code the bot is waiting
/// for counts as a secret". While a sign-in link is pending for this chat user (<c>signin/pending/…</c>, written when
/// the link is sent and removed once the code is redeemed, cancelled or burned), a message that may carry the code —
/// the same test <see cref="SignInFlowDialog"/> uses to keep it out of transcripts — is stored as
/// <see cref="RedactionMarkers.Other"/>; so is one while a password reset is pending (<c>reset/pending/…</c>) or a change of the account e-mail (<c>emailchange/pending/…</c>). The turn still reads the code: Direct Line hands it the text as typed from memory.
/// </summary>
public sealed class AriaIncomingActivityRedactor(IStorage storage) : IIncomingActivityRedactor
{
    public async ValueTask<Activity?> RedactAsync(Activity activity, IncomingRedactionReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var redacted = SensitiveTextActivityRedactor.Redact(activity);
        var text = (redacted ?? activity).Text;
        if (!activity.IsType(ActivityTypes.Message) || string.IsNullOrEmpty(text) || !MayCarryCode(text))
        {
            return redacted;
        }
        // An earlier version's rows: whether a code was awaited then is unknown, so anything code-like goes.
        if (reason == IncomingRedactionReason.StoredByEarlierVersion || await AwaitsCodeAsync(activity, cancellationToken).ConfigureAwait(false))
        {
            redacted ??= activity.Clone();
            redacted.Text = RedactionMarkers.Default.Other;
        }
        return redacted;
    }

    /// <summary>As the sign-in dialog decides: the 6-digit code with words around it, or a message of mostly digits (a mistyped code).</summary>
    internal static bool MayCarryCode(string text) => SignInFlowDialog.ReadCode(text) is not null || text.Count(char.IsAsciiDigit) >= 4;

    private async Task<bool> AwaitsCodeAsync(Activity activity, CancellationToken cancellationToken)
    {
        // Only our Direct Line runs this hook, so the pending sign-in is that ingress's.
        if (BindingKey.For(activity, TurnIngress.DirectLine) is not { } key)
        {
            return false;
        }
        // A pending password reset counts too: its e-mailed code belongs on the reset page, but may be typed here.
        // So does a pending change of the account e-mail: its code belongs on /email-change.
        string[] pending = [SignInLinks.PendingKey(key), PasswordResets.PendingKey(key), EmailChanges.PendingKey(key)];
        return (await storage.ReadAsync(pending, cancellationToken).ConfigureAwait(false)).Count > 0;
    }
}
