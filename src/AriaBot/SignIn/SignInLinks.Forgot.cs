using BotRuntime.Builder;
using BotRuntime.Logging;
using BotRuntime.Schema;

namespace AriaBot.SignIn;

/// <summary>The chat a sign-in link belongs to, for the page's "forgot password" button; no secret.</summary>
internal sealed record SignInChat(string LinkId, TurnIngress? Ingress, string ConversationId, string? Locale, ConversationReference? Reference);

// The page's "forgot password" button: which chat the link belongs to. The class and its storage: SignInLinks.cs.
public sealed partial class SignInLinks
{
    /// <summary>The chat of a link still open for signing in (not used, not expired); null otherwise. Nothing changes.</summary>
    internal async Task<SignInChat?> ChatOfAsync([SecretData] string? state, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(state, cancellationToken).ConfigureAwait(false);
        return link is { } open && IsOpen(open.Value)
            ? new SignInChat(open.Value.LinkId, open.Value.Ingress, open.Value.ConversationId, open.Value.Locale, open.Value.Reference)
            : null;
    }
}
