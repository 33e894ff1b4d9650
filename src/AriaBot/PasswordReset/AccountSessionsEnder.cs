using Aria.Client;
using Aria.Client.Models;
using System.Text.Json;
using AriaBot.Session;
using BotRuntime.DirectLine;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.PasswordReset;

/// <summary>
/// After a reset: every chat binding of the account is removed and its Aria session ended (<c>kill_session_m</c>),
/// and a Direct Line conversation's tokens are revoked, so a chat signed in before the reset (an attacker's too)
/// cannot act any more. The bindings are found through the by-account index <see cref="StorageSessionBindings"/> writes
/// with each binding (one prefix read, whatever the size of the table). Bindings made by a build before the index are
/// still found by reading the table, for as long as such a binding can live (see <see cref="IndexMayBeIncompleteAsync"/>).
/// </summary>
public sealed partial class AccountSessionsEnder(IStorage storage, IAriaClient aria, IOptionsMonitor<SessionBindingOptions> bindingOptions, TimeProvider timeProvider,
    ILogger<AccountSessionsEnder> logger, DirectLineTokenService? directLineTokens = null)
{
    /// <summary>How many bindings one reset reads at most (the table holds live bindings only; expired ones are gone).</summary>
    internal const int MaxBindingsRead = 20_000;

    /// <summary>When every live binding is sure to have its index entry (the first reset of an indexing build writes it).</summary>
    internal const string IndexCompleteKey = "session-bindings/index-complete-at";

    /// <summary>Returns how many bindings were ended.</summary>
    public async Task<int> EndAllAsync(long accountNo, CancellationToken cancellationToken)
    {
        var candidates = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (indexKey, item) in await storage.ReadPrefixAsync(StorageSessionBindings.AccountIndexPrefix(accountNo), MaxBindingsRead, cancellationToken).ConfigureAwait(false))
        {
            if (Deserialize<AccountIndexEntry>(item) is { BindingKey.Length: > 0 } entry)
            {
                candidates[entry.BindingKey] = indexKey;
            }
        }
        if (await IndexMayBeIncompleteAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (key, item) in await storage.ReadPrefixAsync(StorageSessionBindings.ConversationPrefix, MaxBindingsRead, cancellationToken).ConfigureAwait(false))
            {
                if (Deserialize<SessionBinding>(item)?.AccountNo == accountNo)
                {
                    candidates.TryAdd(key, null);
                }
            }
        }
        var bindings = candidates.Count == 0 ? new Dictionary<string, StoreItem>() : await storage.ReadAsync([.. candidates.Keys], cancellationToken).ConfigureAwait(false);
        var ended = 0;
        foreach (var (key, indexKey) in candidates)
        {
            if (indexKey is not null)
            {
                await storage.DeleteAsync(indexKey, cancellationToken).ConfigureAwait(false);
            }
            // An index entry outlives a binding that was removed or now holds another account: nothing to end there.
            if (!bindings.TryGetValue(key, out var item) || Deserialize<SessionBinding>(item) is not { } binding || binding.AccountNo != accountNo)
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

    /// <summary>
    /// True while a binding made before the index existed may still be live: until the absolute binding lifetime has
    /// passed since this build first ended an account's sessions (written then, conservatively late).
    /// </summary>
    private async Task<bool> IndexMayBeIncompleteAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var stored = await storage.ReadAsync<IndexComplete>(IndexCompleteKey, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return now < stored.Value.At;
        }
        try
        {
            await storage.WriteAsync(IndexCompleteKey, new IndexComplete(now + bindingOptions.CurrentValue.AbsoluteBindingLifetime), eTag: null, expiresAt: null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Another instance wrote it first: its time is as good.
        }
        return true;
    }

    private static T? Deserialize<T>(StoreItem item) where T : class
    {
        try
        {
            return item.Document.Deserialize<T>(StateJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The Direct Line conversation id of a binding key (<c>…/{channel}/{conversation}/{user}</c>, escaped), or null for other channels.</summary>
    private static string? ConversationOf(string storageKey)
    {
        var parts = storageKey[StorageSessionBindings.ConversationPrefix.Length..].Split('/');
        return parts.Length >= 3 && Uri.UnescapeDataString(parts[^3]) == BotRuntime.Schema.Channels.DirectLine ? Uri.UnescapeDataString(parts[^2]) : null;
    }

    private sealed record IndexComplete(DateTimeOffset At);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset of account {AccountNo}: {Count} chat binding(s) ended")]
    private static partial void LogEnded(ILogger logger, long accountNo, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset of account {AccountNo}: kill_session_m failed (error {Code}); the binding is gone and the session will expire on its own")]
    private static partial void LogKillFailed(ILogger logger, long accountNo, long code);
}
