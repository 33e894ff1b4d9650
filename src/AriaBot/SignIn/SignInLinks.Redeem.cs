using Aria.Client.Models;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Logging;
using BotRuntime.State;

namespace AriaBot.SignIn;

public enum CodeOutcome
{
    /// <summary>The code was right: the session is validated and bound; <see cref="CodeRedemption.Check"/> says to which account.</summary>
    SignedIn,

    /// <summary>Wrong code; <see cref="CodeRedemption.AttemptsLeft"/> tries remain.</summary>
    Wrong,

    /// <summary>The last allowed wrong code: the code is burned and its Aria session ended.</summary>
    Burned,

    /// <summary>Nobody has signed in with the link yet, so there is no code to compare with.</summary>
    NotSignedInOnPageYet,

    LinkExpired,

    /// <summary>The code was not typed in time; its Aria session was ended.</summary>
    CodeExpired,

    /// <summary>There is no sign-in in progress for this chat user.</summary>
    NoSignIn,

    /// <summary>Too many codes typed in this conversation lately; nothing was compared.</summary>
    RateLimited,

    /// <summary>The code was right but Aria no longer accepts the session (1011).</summary>
    SessionInvalid,

    /// <summary>The code was right but Aria could not be asked; the code stays valid, try again.</summary>
    Unavailable,
}

public sealed record CodeRedemption(CodeOutcome Outcome, int AttemptsLeft = 0, SessionCheck? Check = null);

// The code typed in chat: compared, counted, and on the right one validated with Aria and bound.
// The class and its storage: SignInLinks.cs.
public sealed partial class SignInLinks
{
    /// <summary>
    /// Checks a code typed by <paramref name="key"/>'s user. Right: the session is validated with Aria and bound
    /// (the validation serves as the turn's session check). Wrong: counted; the last allowed wrong code burns the
    /// code and ends its Aria session.
    /// </summary>
    public async Task<CodeRedemption> RedeemAsync(ITurnContext turnContext, BindingKey key, [SecretData] string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(code);
        var settings = _options.CurrentValue;
        if (!await _counters.TryTakeAsync(SignInCounters.CodesKey(key), settings.RateLimits.CodeEntriesPerConversation, settings.RateLimits.CodeEntriesWindow, cancellationToken).ConfigureAwait(false))
        {
            LogCodeRateLimited(_logger);
            return new CodeRedemption(CodeOutcome.RateLimited);
        }

        for (var attempt = 0; ; attempt++)
        {
            var (pending, link) = await ReadPendingAsync(key, cancellationToken).ConfigureAwait(false);
            if (pending is null || link is null)
            {
                return new CodeRedemption(CodeOutcome.NoSignIn);
            }
            var record = link.Value;
            var now = _timeProvider.GetUtcNow();
            if (!record.IsUsed)
            {
                if (now < record.ExpiresAt)
                {
                    return new CodeRedemption(CodeOutcome.NotSignedInOnPageYet);
                }
                await ForgetAsync(key, pending.LinkKey, null, cancellationToken).ConfigureAwait(false);
                return new CodeRedemption(CodeOutcome.LinkExpired);
            }
            if (now >= record.CodeExpiresAt)
            {
                await ForgetAsync(key, pending.LinkKey, record.AriaSessionId, cancellationToken).ConfigureAwait(false);
                LogCodeExpired(_logger, record.LinkId);
                return new CodeRedemption(CodeOutcome.CodeExpired);
            }

            if (!SignInCode.Matches(record, code))
            {
                record.WrongCodes++;
                if (record.WrongCodes >= settings.CodeAttempts)
                {
                    await ForgetAsync(key, pending.LinkKey, record.AriaSessionId, cancellationToken).ConfigureAwait(false);
                    LogCodeBurned(_logger, record.LinkId, record.WrongCodes);
                    return new CodeRedemption(CodeOutcome.Burned);
                }
                try
                {
                    await _storage.WriteAsync(pending.LinkKey, record, link.ETag, record.CodeExpiresAt!.Value + Afterlife, cancellationToken).ConfigureAwait(false);
                }
                catch (StorageConflictException) when (attempt < MaxConflictRetries)
                {
                    continue;
                }
                LogCodeWrong(_logger, record.LinkId, record.WrongCodes);
                return new CodeRedemption(CodeOutcome.Wrong, settings.CodeAttempts - record.WrongCodes);
            }

            // Right code. Aria first: if it cannot answer, the code stays as it is and can be typed again.
            var sessionId = record.AriaSessionId!;
            var validation = await _aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = sessionId }, cancellationToken).ConfigureAwait(false);
            var ledgerPosition = AriaCallLedger.Of(turnContext)?.Count;
            if (!validation.IsSuccess || validation.Value.AccountNo is null)
            {
                if (validation.Error?.IsSessionInvalid == true)
                {
                    await ForgetAsync(key, pending.LinkKey, null, cancellationToken).ConfigureAwait(false);
                    return new CodeRedemption(CodeOutcome.SessionInvalid);
                }
                LogUnavailable(_logger, validation.Error?.Code ?? 0);
                return new CodeRedemption(CodeOutcome.Unavailable);
            }
            // Single use: only the turn that removes the link under its eTag may bind.
            try
            {
                await _storage.WriteAsync(new Dictionary<string, StoreWrite>
                {
                    [pending.LinkKey] = Write(new { redeemed = true }, link.ETag, now),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException) when (attempt < MaxConflictRetries)
            {
                continue;
            }
            await _storage.DeleteAsync([pending.LinkKey, PendingKey(key)], cancellationToken).ConfigureAwait(false);
            var check = await _accountSession.BindValidatedAsync(turnContext, key, sessionId, validation.Value.AccountNo.Value,
                validation.Value.UserId ?? string.Empty, record.SignedInAt ?? now, ledgerPosition, cancellationToken).ConfigureAwait(false);
            LogRedeemed(_logger, record.LinkId);
            return new CodeRedemption(CodeOutcome.SignedIn, Check: check);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code refused: too many codes typed in this conversation")]
    private static partial void LogCodeRateLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: wrong code ({WrongCodes} so far)")]
    private static partial void LogCodeWrong(ILogger logger, string linkId, int wrongCodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {LinkId}: code burned after {WrongCodes} wrong codes; the Aria session was ended")]
    private static partial void LogCodeBurned(ILogger logger, string linkId, int wrongCodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: the code expired; the Aria session was ended")]
    private static partial void LogCodeExpired(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: code accepted, session bound")]
    private static partial void LogRedeemed(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code could not be checked with Aria: error {Code}")]
    private static partial void LogUnavailable(ILogger logger, long code);
}
