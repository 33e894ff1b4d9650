using Aria.Client;
using Aria.Client.Models;
using BotRuntime.Logging;
using BotRuntime.State;

namespace AriaBot.SignIn;

/// <summary>What the sign-in page may do with a state.</summary>
internal sealed record PageLink(bool IsUsable, string? Locale);

internal enum SubmissionOutcome
{
    CodeIssued,

    /// <summary>Unknown user id or wrong password: deliberately one outcome.</summary>
    WrongCredentials,

    RateLimited,

    /// <summary>The link is unknown, expired or already used.</summary>
    LinkUnusable,

    Unavailable,
}

internal sealed record Submission(SubmissionOutcome Outcome, string? Locale, [property: SecretData] string? Code = null, TimeSpan RetryAfter = default)
{
    public override string ToString() => $"Submission {{ Outcome = {Outcome} }}";
}

// The page's side: opening a link, the form post that signs in and issues the code, the per-address limit.
// The class and its storage: SignInLinks.cs.
public sealed partial class SignInLinks
{
    internal async Task<PageLink> OpenAsync([SecretData] string? state, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(state, cancellationToken).ConfigureAwait(false);
        return link is { } usable && IsOpen(usable.Value) ? new PageLink(true, usable.Value.Locale) : new PageLink(false, link?.Value.Locale);
    }

    /// <summary>
    /// The page's form post. Unknown user ids and wrong passwords are one outcome, reached by the same work: Aria is
    /// always asked, and both count against the typed user id's limit. The limit is a reservation: each attempt
    /// takes a slot before Aria is asked (a success gives it back), so concurrent attempts cannot exceed it.
    /// </summary>
    internal async Task<Submission> SubmitAsync([SecretData] string state, string userId, [SecretData] string password, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(state, cancellationToken).ConfigureAwait(false);
        if (link is null || !IsOpen(link.Value))
        {
            return new Submission(SubmissionOutcome.LinkUnusable, link?.Value.Locale);
        }
        var record = link.Value;
        var settings = _options.CurrentValue;
        var userKey = SignInCounters.UserIdKey(userId);
        // Reserve before acting: the slot is taken before Aria is asked, so concurrent attempts for one user id
        // cannot all pass a check that none of them has counted yet.
        if (!await _counters.TryTakeAsync(userKey, settings.RateLimits.FailedSignInsPerUserId, settings.RateLimits.FailedSignInsWindow, cancellationToken).ConfigureAwait(false))
        {
            LogUserRateLimited(_logger, record.LinkId);
            return new Submission(SubmissionOutcome.RateLimited, record.Locale, RetryAfter: await _counters.RetryAfterAsync(userKey, cancellationToken).ConfigureAwait(false));
        }

        var signIn = await _aria.SetSessionAuthAsync(new SetSessionAuthMRequest { UserId = userId, Password = password }, cancellationToken).ConfigureAwait(false);
        if (!signIn.IsSuccess || string.IsNullOrEmpty(signIn.Value.SessionId))
        {
            if (signIn.Error is { } error && IsOutage(error))
            {
                // Not the customer's failure: the slot goes back.
                await _counters.ReleaseAsync(userKey, CancellationToken.None).ConfigureAwait(false);
                LogSignInUnavailable(_logger, error.Code, error.Kind);
                return new Submission(SubmissionOutcome.Unavailable, record.Locale);
            }
            // A failure keeps its slot.
            LogSignInFailed(_logger, record.LinkId);
            return new Submission(SubmissionOutcome.WrongCredentials, record.Locale);
        }
        // Whoever knows the password is not guessing it: the success gives its slot back.
        await _counters.ReleaseAsync(userKey, CancellationToken.None).ConfigureAwait(false);

        var now = _timeProvider.GetUtcNow();
        var code = SignInCode.New();
        record.SignedInAt = now;
        record.CodeExpiresAt = now + settings.CodeLifetime;
        SignInCode.Store(record, code);
        record.AriaSessionId = signIn.Value.SessionId;
        try
        {
            await _storage.WriteAsync(LinkKeyOf(state), record, link.ETag, record.CodeExpiresAt.Value + Afterlife, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Someone used the same link at the same moment and won: this session must not outlive the attempt.
            await _accountSession.KillAsync(signIn.Value.SessionId, cancellationToken).ConfigureAwait(false);
            return new Submission(SubmissionOutcome.LinkUnusable, record.Locale);
        }
        LogCodeIssued(_logger, record.LinkId);
        return new Submission(SubmissionOutcome.CodeIssued, record.Locale, code);
    }

    /// <summary>
    /// Counts one sign-in post from <paramref name="address"/> against <c>SignIn:RateLimits:PostsPerIp</c> (in the state
    /// store, so the limit holds across instances). Null when it may go on; else how long until the window ends.
    /// </summary>
    internal async Task<TimeSpan?> TakePostFromAsync(System.Net.IPAddress? address, CancellationToken cancellationToken)
    {
        var limits = _options.CurrentValue.RateLimits;
        var wait = await _counters.TakeFromAddressAsync("signin", address, limits.PostsPerIp, limits.PostsPerIpWindow, cancellationToken).ConfigureAwait(false);
        if (wait is not null)
        {
            LogIpRateLimited(_logger);
        }
        return wait;
    }

    private bool IsOpen(SignInLinkRecord record) => !record.IsUsed && _timeProvider.GetUtcNow() < record.ExpiresAt;

    private async Task<Stored<SignInLinkRecord>?> ReadLinkAsync(string? state, CancellationToken cancellationToken)
    {
        if (!LinkState.IsWellFormed(state))
        {
            return null;
        }
        return await ReadRecordAsync(LinkKeyOf(state), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aria's own failures and transport failures are not the customer's fault: never "wrong password".</summary>
    private static bool IsOutage(AriaError error) =>
        error.Kind != AriaErrorKind.Aria
        || error.KnownCode is AriaErrorCode.Unexpected or AriaErrorCode.HostNotPermitted or AriaErrorCode.AuthenticationFailed
            or AriaErrorCode.ClientNotEnabledForApi or AriaErrorCode.NotAttempted;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: signed in on the page, code issued")]
    private static partial void LogCodeIssued(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: the user id or password was not accepted")]
    private static partial void LogSignInFailed(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {LinkId}: refused, too many failed sign-ins for the typed user id")]
    private static partial void LogUserRateLimited(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in post refused: too many posts from this client address")]
    private static partial void LogIpRateLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in could not reach Aria: error {Code} ({Kind})")]
    private static partial void LogSignInUnavailable(ILogger logger, long code, AriaErrorKind kind);
}
