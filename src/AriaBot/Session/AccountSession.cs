using System.Security.Claims;
using Aria.Client;
using Aria.Client.Models;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Logging;
using Microsoft.Extensions.Options;

namespace AriaBot.Session;

/// <summary>
/// The per-turn session check (invariant 1, docs/invariants.md). Every turn that reads or changes account data calls
/// <see cref="CheckAsync"/> first and acts only on the account it returns; a turn that writes calls
/// <see cref="CheckBeforeWriteAsync"/> right before the write.
/// </summary>
public interface IAccountSession
{
    /// <summary>
    /// The turn's validation: looks up this chat user's binding and runs <c>validate_session_m</c> once per turn
    /// (later calls in the same turn get the cached answer). When the session was created or last extended longer
    /// than <see cref="AriaSessionOptions.KeepAliveAfter"/> ago, <c>keep_alive_m</c> goes first (at most once per
    /// turn). On 1011 (from either call) the binding is removed and the answer is <see cref="SessionStatus.Expired"/>;
    /// a keep-alive that fails otherwise is logged and the validation decides.
    /// </summary>
    Task<SessionCheck> CheckAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);

    /// <summary>
    /// Call immediately before a write: guarantees that a validation is the last Aria call before it. The turn's
    /// earlier validation is reused when no Aria call was sent after it; otherwise the session is validated again,
    /// preceded by <c>keep_alive_m</c> when one is due, never followed by it.
    /// Without <see cref="AriaCallLedgerMiddleware"/> in the pipeline nothing can be proven, so it always validates.
    /// </summary>
    Task<SessionCheck> CheckBeforeWriteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);

    /// <summary>Ends the Aria session (<c>kill_session_m</c>) and removes the binding. True when a session was bound.</summary>
    Task<bool> SignOutAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);
}

public sealed partial class AccountSession(ISessionBindings bindings, IAriaClient aria, IOptionsMonitor<AriaSessionOptions> options, TimeProvider timeProvider, ILogger<AccountSession> logger,
    DirectLineTokenService? directLineTokens = null) : IAccountSession
{
    private const string CacheKey = "AriaBot.Session.Check";
    private const string KeepAliveTriedKey = "AriaBot.Session.KeepAliveTried";

    /// <summary>Marks a turn that already sent <c>keep_alive_m</c>: a second one in the same turn would only add delay.</summary>
    private sealed class KeepAliveTried;

    private enum KeepAliveOutcome
    {
        NotDue,
        Extended,
        SessionGone,
        Failed,
    }

    private sealed class CachedCheck(SessionCheck check, int? ledgerPosition)
    {
        public SessionCheck Check { get; } = check;

        /// <summary>How many Aria calls the turn had made when this validation answered; null when it made none.</summary>
        public int? LedgerPosition { get; } = ledgerPosition;
    }

    public async Task<SessionCheck> CheckAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.TurnState.Get<CachedCheck>(CacheKey) is { } cached)
        {
            return cached.Check;
        }
        return await CheckFreshAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SessionCheck> CheckBeforeWriteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var cached = turnContext.TurnState.Get<CachedCheck>(CacheKey);
        if (cached is not null && cached.Check.Status is not (SessionStatus.SignedIn or SessionStatus.Unavailable))
        {
            // Nothing was validated in this turn (not signed in, expired, group): there is nothing to write with.
            return cached.Check;
        }
        var ledger = AriaCallLedger.Of(turnContext);
        if (cached is { Check.IsSignedIn: true, LedgerPosition: { } position } && ledger is not null && ledger.Count == position)
        {
            return cached.Check;
        }
        return await CheckFreshAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SignOutAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var key = BindingKey.For(turnContext);
        if (key is null)
        {
            return false;
        }
        var binding = await bindings.GetForTurnAsync(turnContext, key, cancellationToken).ConfigureAwait(false);
        if (binding is null)
        {
            Cache(turnContext, SessionCheck.NotSignedIn, null);
            return false;
        }
        await KillAsync(binding.AriaSessionId, cancellationToken).ConfigureAwait(false);
        await bindings.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        TurnBindingCache.Forget(turnContext);
        if (key.ChannelId == BotRuntime.Schema.Channels.DirectLine && directLineTokens is not null)
        {
            // A token copied before the sign-out (another tab, a proxy log) must not read this chat or post to it later.
            await directLineTokens.RevokeAsync(key.ConversationId, cancellationToken).ConfigureAwait(false);
        }
        Cache(turnContext, SessionCheck.NotSignedIn, null);
        LogSignedOut(logger, binding.AccountNo);
        return true;
    }

    /// <summary>
    /// Sign-in's last step: binds a session the caller has just validated in this turn (<paramref name="ledgerPosition"/>
    /// is the turn's Aria call count right after that validation) to this turn's user; the validation serves as the
    /// turn's check.
    /// </summary>
    /// <param name="sessionCreatedAt">When Aria created the session (the sign-in page's <c>set_session_auth_m</c>): its lifetime runs from then, not from the binding.</param>
    internal async Task<SessionCheck> BindValidatedAsync(ITurnContext turnContext, BindingKey key, [SecretData] string ariaSessionId, long accountNo, string ariaUserId, DateTimeOffset sessionCreatedAt, int? ledgerPosition, CancellationToken cancellationToken)
    {
        var previous = await bindings.GetForTurnAsync(turnContext, key, cancellationToken).ConfigureAwait(false);
        TurnBindingCache.Forget(turnContext);
        await bindings.BindAsync(key, new SessionBinding
        {
            AriaSessionId = ariaSessionId,
            AccountNo = accountNo,
            AriaUserId = ariaUserId,
            BoundAt = timeProvider.GetUtcNow(),
            Source = SessionBindingSource.SignIn,
            Ingress = key.Ingress,
            ExtendedAt = sessionCreatedAt,
        }, cancellationToken).ConfigureAwait(false);
        // A session this bot opened and nobody can use any more is ended. A portal's session is the portal's: ending
        // it would sign the customer out of the portal too. (The kill lies after the validation in the turn's
        // ledger, so a write in this turn validates again.)
        if (previous is { Source: SessionBindingSource.SignIn } && previous.AriaSessionId != ariaSessionId)
        {
            await KillAsync(previous.AriaSessionId, cancellationToken).ConfigureAwait(false);
        }
        var check = SessionCheck.SignedIn(accountNo, ariaUserId);
        Cache(turnContext, check, ledgerPosition);
        LogBound(logger, accountNo, SessionBindingSource.SignIn);
        return check;
    }

    /// <summary>
    /// A message from a signed-in customer, before the bot handles it (<see cref="CustomerActivityMiddleware"/>): every
    /// such turn is activity, whether or not it touches the account. It extends the Aria session when a keep-alive is
    /// due — here, before anything else in the turn, so never between a validation and a write — and renews the
    /// binding's sliding expiry. On 1011 the binding is removed and the turn's check answers <see cref="SessionStatus.Expired"/>.
    /// </summary>
    internal async Task RecordCustomerTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.Activity.Type != BotRuntime.Schema.ActivityTypes.Message
            || turnContext.TurnState.Get<CachedCheck>(CacheKey) is not null
            || BindingKey.For(turnContext) is not { } key)
        {
            return;
        }
        var binding = await bindings.GetForTurnAsync(turnContext, key, cancellationToken).ConfigureAwait(false);
        if (binding is null || (binding.DirectLineBindingId is { } bid && DirectLineBindingIdOf(turnContext) != bid))
        {
            // Not signed in, or not through the binding's own token: nothing of the binding is touched.
            return;
        }
        if (await KeepAliveIfDueAsync(turnContext, key, binding, cancellationToken).ConfigureAwait(false) == KeepAliveOutcome.SessionGone)
        {
            await bindings.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            TurnBindingCache.Forget(turnContext);
            LogExpiredOnKeepAlive(logger, binding.AccountNo);
            Cache(turnContext, SessionCheck.Expired, null);
            return;
        }
        await bindings.RecordActivityAsync(key, binding.AriaSessionId, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a session, whatever state it is in; failures are logged, never thrown (nothing depends on it).</summary>
    internal async Task KillAsync([SecretData] string ariaSessionId, CancellationToken cancellationToken)
    {
        var result = await aria.KillSessionAsync(new KillSessionMRequest { SessionId = ariaSessionId }, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess && !result.Error.IsSessionInvalid)
        {
            LogKillFailed(logger, result.Error.Code, result.Error.Kind);
        }
    }

    private async Task<SessionCheck> CheckFreshAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var key = BindingKey.For(turnContext);
        if (key is null)
        {
            var answer = BindingKey.IsGroupConversation(turnContext.Activity) ? SessionCheck.GroupConversation : SessionCheck.NotSignedIn;
            Cache(turnContext, answer, null);
            return answer;
        }
        var binding = await bindings.GetForTurnAsync(turnContext, key, cancellationToken).ConfigureAwait(false);
        if (binding is null)
        {
            Cache(turnContext, SessionCheck.NotSignedIn, null);
            return SessionCheck.NotSignedIn;
        }
        if (binding.DirectLineBindingId is { } bid && DirectLineBindingIdOf(turnContext) != bid)
        {
            // The binding was made for one Direct Line token; this activity did not come through it.
            LogForeignDirectLineTurn(logger);
            Cache(turnContext, SessionCheck.NotSignedIn, null);
            return SessionCheck.NotSignedIn;
        }

        // Before the validation, never after it: in a turn that writes, the validation must stay the last call.
        if (await KeepAliveIfDueAsync(turnContext, key, binding, cancellationToken).ConfigureAwait(false) == KeepAliveOutcome.SessionGone)
        {
            // Aria says the session is gone: no validation would say otherwise.
            await bindings.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            TurnBindingCache.Forget(turnContext);
            LogExpiredOnKeepAlive(logger, binding.AccountNo);
            Cache(turnContext, SessionCheck.Expired, null);
            return SessionCheck.Expired;
        }

        var validation = await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = binding.AriaSessionId }, cancellationToken).ConfigureAwait(false);
        var position = AriaCallLedger.Of(turnContext)?.Count;
        SessionCheck check;
        if (validation.IsSuccess && validation.Value.AccountNo is { } accountNo)
        {
            if (accountNo != binding.AccountNo)
            {
                // Aria is the authority: act on what it says now, but this should never happen.
                LogAccountChanged(logger, binding.AccountNo, accountNo);
            }
            check = SessionCheck.SignedIn(accountNo, validation.Value.UserId ?? binding.AriaUserId);
        }
        else if (!validation.IsSuccess && validation.Error.IsSessionInvalid)
        {
            await bindings.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            TurnBindingCache.Forget(turnContext);
            LogExpired(logger, binding.AccountNo);
            check = SessionCheck.Expired;
        }
        else
        {
            LogUnavailable(logger, validation.Error?.Code ?? 0, validation.Error?.Kind);
            check = SessionCheck.Unavailable;
        }
        Cache(turnContext, check, position);
        return check;
    }

    /// <summary>
    /// Extends the session when this turn's customer is active (any message of theirs, see
    /// <see cref="RecordCustomerTurnAsync"/>, and every session check) and the session was created or last extended longer
    /// than <see cref="AriaSessionOptions.KeepAliveAfter"/> ago (or at a time the bot does not know). Only turns do
    /// this, never a timer: a customer who left is not kept signed in, and Aria ends the session on its schedule.
    /// </summary>
    private async Task<KeepAliveOutcome> KeepAliveIfDueAsync(ITurnContext turnContext, BindingKey key, SessionBinding binding, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (binding.ExtendedAt is { } extendedAt && now - extendedAt < options.CurrentValue.KeepAliveAfter)
        {
            return KeepAliveOutcome.NotDue;
        }
        if (turnContext.TurnState.Get<KeepAliveTried>(KeepAliveTriedKey) is not null)
        {
            return KeepAliveOutcome.NotDue;
        }
        turnContext.TurnState.Set(KeepAliveTriedKey, new KeepAliveTried());

        var result = await aria.KeepAliveAsync(new KeepAliveMRequest { SessionId = binding.AriaSessionId }, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            // The time the request left, not the reply's: Aria extended from no earlier than this, so the next
            // keep-alive is never later than it should be.
            // The binding's ExtendedAt changes (or it was re-bound meanwhile): the turn's copy is stale.
            TurnBindingCache.Forget(turnContext);
            if (await bindings.RecordExtendedAsync(key, binding.AriaSessionId, now, cancellationToken).ConfigureAwait(false))
            {
                LogKeptAlive(logger, binding.AccountNo);
            }
            else
            {
                LogKeptAliveBindingChanged(logger, binding.AccountNo);
            }
            return KeepAliveOutcome.Extended;
        }
        if (result.Error.IsSessionInvalid)
        {
            return KeepAliveOutcome.SessionGone;
        }
        // Not recorded, so the next turn tries again; this turn goes on if the session still validates.
        LogKeepAliveFailed(logger, binding.AccountNo, result.Error.Code, result.Error.Kind);
        return KeepAliveOutcome.Failed;
    }

    private static string? DirectLineBindingIdOf(ITurnContext turnContext) =>
        turnContext.TurnState.Get<ClaimsIdentity>(ChannelAdapter.IdentityKey)?.FindFirst(DirectLineClaimTypes.BindingId)?.Value;

    private static void Cache(ITurnContext turnContext, SessionCheck check, int? ledgerPosition) =>
        turnContext.TurnState.Set(CacheKey, new CachedCheck(check, ledgerPosition));

    [LoggerMessage(Level = LogLevel.Information, Message = "Session bound for account {AccountNo} ({Source})")]
    private static partial void LogBound(ILogger logger, long accountNo, SessionBindingSource source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed out of account {AccountNo}; the Aria session was ended")]
    private static partial void LogSignedOut(ILogger logger, long accountNo);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Aria session of account {AccountNo} is no longer valid (1011); binding removed")]
    private static partial void LogExpired(ILogger logger, long accountNo);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Aria session of account {AccountNo} is no longer valid (1011 on keep_alive_m); binding removed")]
    private static partial void LogExpiredOnKeepAlive(ILogger logger, long accountNo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the Aria session of account {AccountNo} alive (keep_alive_m)")]
    private static partial void LogKeptAlive(ILogger logger, long accountNo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the Aria session of account {AccountNo} alive (keep_alive_m); the binding changed meanwhile, so the time was not recorded")]
    private static partial void LogKeptAliveBindingChanged(ILogger logger, long accountNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "keep_alive_m failed for account {AccountNo}: Aria error {Code} ({Kind}); the turn goes on if the session validates, and the next turn tries again")]
    private static partial void LogKeepAliveFailed(ILogger logger, long accountNo, long code, AriaErrorKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session could not be validated: Aria error {Code} ({Kind})")]
    private static partial void LogUnavailable(ILogger logger, long code, AriaErrorKind? kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aria now names account {Now} for a session bound to account {Bound}")]
    private static partial void LogAccountChanged(ILogger logger, long bound, long now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kill_session_m failed: Aria error {Code} ({Kind}); the session will expire on its own")]
    private static partial void LogKillFailed(ILogger logger, long code, AriaErrorKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Direct Line turn without the portal token's binding id reached a portal-bound conversation; treated as not signed in")]
    private static partial void LogForeignDirectLineTurn(ILogger logger);
}
