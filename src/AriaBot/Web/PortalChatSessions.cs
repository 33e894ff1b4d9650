using System.Security.Cryptography;
using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using BotRuntime.DirectLine;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Web;

/// <summary>
/// The Aria sessions the portal opened for one portal login's chats (<c>set_session_m</c>, one per chat token), kept
/// server-side so that signing out of the portal ends them (<c>kill_session_m</c>). Without this, a chat token copied
/// before sign-out — or left in another tab — would keep acting on the account until Aria expired the session.
/// </summary>
public sealed partial class PortalChatSessions(IStorage storage, IAriaClient aria, TimeProvider timeProvider, IOptions<WebOptions> options, ILogger<PortalChatSessions> logger,
    DirectLineTokenService? directLineTokens = null)
{
    private const string Prefix = "portal-chat-session/";

    /// <summary>A portal login's sessions beyond this many are not tracked; no page opens that many chats in one login.</summary>
    private const int MaxPerLogin = 200;

    /// <summary>Remembers <paramref name="ariaSessionId"/> under the login's chat user (the store holds it, never a log).</summary>
    public async Task RememberAsync(string chatUserId, string ariaSessionId, CancellationToken cancellationToken)
    {
        var key = $"{Prefix}{chatUserId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        // Kept as long as the login can live on, sliding, and a day for the session Aria may still honour after that.
        var expires = timeProvider.GetUtcNow() + options.Value.PortalLoginLifetime + TimeSpan.FromDays(1);
        await storage.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [key] = new(JsonSerializer.SerializeToElement(new Remembered(ariaSessionId)), ETag: null, expires),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Remembers a Direct Line conversation opened for the login's chat, so that signing out revokes its tokens.</summary>
    public async Task RememberConversationAsync(string chatUserId, string conversationId, CancellationToken cancellationToken)
    {
        var key = $"{ConversationPrefix}{chatUserId}/{conversationId}";
        var expires = timeProvider.GetUtcNow() + options.Value.PortalLoginLifetime + TimeSpan.FromDays(1);
        await storage.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [key] = new(JsonSerializer.SerializeToElement(new RememberedConversation(conversationId)), StoreWrite.AnyETag, expires),
        }, cancellationToken).ConfigureAwait(false);
    }

    private const string ConversationPrefix = "portal-chat-conversation/";

    private sealed record RememberedConversation(string ConversationId);

    /// <summary>
    /// Ends every Aria session remembered for the login and revokes the Direct Line tokens of its chats (a token kept
    /// in another tab can neither read the chat nor post to it), then forgets them. Returns how many sessions Aria ended.
    /// </summary>
    public async Task<int> EndAllAsync(string chatUserId, CancellationToken cancellationToken)
    {
        var conversations = await storage.ReadPrefixAsync($"{ConversationPrefix}{chatUserId}/", MaxPerLogin, cancellationToken).ConfigureAwait(false);
        foreach (var (_, item) in conversations)
        {
            if (directLineTokens is not null && item.Document.Deserialize<RememberedConversation>() is { ConversationId: { Length: > 0 } conversationId })
            {
                await directLineTokens.RevokeAsync(conversationId, cancellationToken).ConfigureAwait(false);
            }
        }
        await storage.DeleteAsync([.. conversations.Select(item => item.Key)], cancellationToken).ConfigureAwait(false);

        var items = await storage.ReadPrefixAsync($"{Prefix}{chatUserId}/", MaxPerLogin, cancellationToken).ConfigureAwait(false);
        var ended = 0;
        foreach (var (_, item) in items)
        {
            if (item.Document.Deserialize<Remembered>() is not { SessionId: { Length: > 0 } sessionId })
            {
                continue;
            }
            var killed = await aria.KillSessionAsync(new KillSessionMRequest { SessionId = sessionId }, cancellationToken).ConfigureAwait(false);
            if (killed.IsSuccess)
            {
                ended++;
            }
            else if (!killed.Error!.IsSessionInvalid)
            {
                // Already gone (1011) is the goal reached; anything else leaves it to expire on Aria's clock.
                LogKillFailed(logger, killed.Error.Kind, killed.Error.Code);
            }
        }
        await storage.DeleteAsync([.. items.Select(item => item.Key)], cancellationToken).ConfigureAwait(false);
        return ended;
    }

    private sealed record Remembered(string SessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal sign-out: kill_session_m failed ({Kind} {Code}); that session will expire on its own")]
    private static partial void LogKillFailed(ILogger logger, AriaErrorKind kind, long code);
}
