using Aria.Client;
using Aria.Client.Models;
using System.Text.Json;
using AriaBot.Session;
using BotRuntime.DirectLine;
using BotRuntime.State;

namespace AriaBot.PasswordReset;

/// <summary>
/// After a reset: every chat binding of the account is removed and its Aria session ended (<c>kill_session_m</c>),
/// and a Direct Line conversation's tokens are revoked, so a chat signed in before the reset (an attacker's too)
/// cannot act any more. The bindings are found by reading the binding table (<see cref="StorageSessionBindings"/>),
/// which has no index by account.
/// </summary>
public sealed partial class AccountSessionsEnder(IStorage storage, IAriaClient aria, ILogger<AccountSessionsEnder> logger, DirectLineTokenService? directLineTokens = null)
{
    /// <summary>How many bindings one reset reads at most (the table holds live bindings only; expired ones are gone).</summary>
    internal const int MaxBindingsRead = 20_000;

    /// <summary>Returns how many bindings were ended.</summary>
    public async Task<int> EndAllAsync(long accountNo, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(StorageSessionBindings.ConversationPrefix, MaxBindingsRead, cancellationToken).ConfigureAwait(false);
        var ended = 0;
        foreach (var (key, item) in items)
        {
            SessionBinding? binding;
            try
            {
                binding = item.Document.Deserialize<SessionBinding>(StateJson.Options);
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }
            if (binding is null || binding.AccountNo != accountNo)
            {
                continue;
            }
            // The binding goes first: even if Aria cannot be reached, no turn uses that session through the bot again.
            await storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            var killed = await aria.KillSessionAsync(new KillSessionMRequest { SessionId = binding.AriaSessionId }, cancellationToken).ConfigureAwait(false);
            if (!killed.IsSuccess)
            {
                LogKillFailed(logger, accountNo, killed.Error?.Code ?? 0);
            }
            if (directLineTokens is not null && binding.Ingress == BotRuntime.Builder.TurnIngress.DirectLine && ConversationOf(key) is { } conversationId)
            {
                await directLineTokens.RevokeAsync(conversationId, cancellationToken).ConfigureAwait(false);
            }
            ended++;
        }
        LogEnded(logger, accountNo, ended);
        return ended;
    }

    /// <summary>The Direct Line conversation id of a binding key (<c>…/{channel}/{conversation}/{user}</c>, escaped), or null for other channels.</summary>
    private static string? ConversationOf(string storageKey)
    {
        var parts = storageKey[StorageSessionBindings.ConversationPrefix.Length..].Split('/');
        return parts.Length >= 3 && Uri.UnescapeDataString(parts[^3]) == BotRuntime.Schema.Channels.DirectLine ? Uri.UnescapeDataString(parts[^2]) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset of account {AccountNo}: {Count} chat binding(s) ended")]
    private static partial void LogEnded(ILogger logger, long accountNo, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset of account {AccountNo}: kill_session_m failed (error {Code}); the binding is gone and the session will expire on its own")]
    private static partial void LogKillFailed(ILogger logger, long accountNo, long code);
}
