using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Logging;
using BotRuntime.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

/// <summary>A sign-in link for the chat. <see cref="Url"/> carries the single-use state: a secret, never logged.</summary>
public sealed record SignInLink(Uri Url, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"SignInLink {{ ExpiresAt = {ExpiresAt:O} }}";
}

public enum LinkCreationStatus
{
    Created,

    /// <summary>Too many links for this conversation lately (<see cref="SignInRateLimits.LinksPerConversation"/>).</summary>
    RateLimited,
}

public sealed record LinkCreation(LinkCreationStatus Status, SignInLink? Link = null);

/// <summary>Where a chat user's sign-in stands, seen from the chat.</summary>
public enum PendingSignInStatus
{
    /// <summary>No sign-in in progress (never started, finished, burned, or forgotten after expiry).</summary>
    None,

    /// <summary>The link is live; the customer has not signed in on the page yet.</summary>
    WaitingForPage,

    /// <summary>The link expired before anyone signed in with it.</summary>
    LinkExpired,

    /// <summary>The page showed a code; it can be typed now.</summary>
    WaitingForCode,

    /// <summary>The code was not typed in time.</summary>
    CodeExpired,
}

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

/// <summary>
/// Sign-in by link and code. The chat asks for a link bound to (channel, conversation, user); the page, given the
/// link's state, signs the customer in with Aria (<c>set_session_auth_m</c>) and shows a 6-digit code; the code,
/// typed back in the same conversation by the same user, binds the session. A forwarded link is useless to
/// whoever receives it: the code only works in the conversation that asked for the link.
/// <para>
/// Storage keys: <c>signin/links/{sha256(state)}</c> (<see cref="SignInLinkRecord"/>),
/// <c>signin/pending/{channel}/{conversation}/{user}</c> (the link a chat user waits on), and the rate-limit
/// counters <c>signin/limits/…</c>.
/// </para>
/// </summary>
public sealed partial class SignInLinks
{
    internal const string LinkPrefix = "signin/links/";
    internal const string PendingPrefix = "signin/pending/";
    private const int StateBytes = 32;
    private const int MaxConflictRetries = 8;

    // After a code expires its record is kept a while so a late code gets "expired" rather than "no sign-in",
    // and its Aria session can still be ended.
    private static readonly TimeSpan Afterlife = TimeSpan.FromHours(1);

    private readonly IStorage _storage;
    private readonly IAriaClient _aria;
    private readonly AccountSession _accountSession;
    private readonly SignInCounters _counters;
    private readonly IOptionsMonitor<SignInOptions> _options;
    private readonly IOptionsMonitor<BotRuntime.DirectLine.DirectLineOptions>? _directLineOptions;
    private readonly IServer? _server;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SignInLinks> _logger;

    public SignInLinks(IStorage storage, IAriaClient aria, AccountSession accountSession, IOptionsMonitor<SignInOptions> options, TimeProvider timeProvider,
        ILogger<SignInLinks> logger, IOptionsMonitor<BotRuntime.DirectLine.DirectLineOptions>? directLineOptions = null, IServer? server = null)
    {
        _storage = storage;
        _aria = aria;
        _accountSession = accountSession;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _directLineOptions = directLineOptions;
        _server = server;
        _counters = new SignInCounters(storage, timeProvider);
    }

    // ---- chat side ----

    /// <summary>
    /// A new link for <paramref name="key"/>, replacing any sign-in in progress for that user (its Aria session,
    /// if the page already opened one, is ended). Limited per conversation.
    /// </summary>
    public async Task<LinkCreation> CreateAsync(BindingKey key, string? locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var settings = _options.CurrentValue;
        if (!await _counters.TryTakeAsync(SignInCounters.LinksKey(key), settings.RateLimits.LinksPerConversation, settings.RateLimits.LinksWindow, cancellationToken).ConfigureAwait(false))
        {
            LogLinkRateLimited(_logger);
            return new LinkCreation(LinkCreationStatus.RateLimited);
        }
        await CancelAsync(key, cancellationToken).ConfigureAwait(false);

        var state = Base64Url(RandomNumberGenerator.GetBytes(StateBytes));
        var now = _timeProvider.GetUtcNow();
        var record = new SignInLinkRecord
        {
            LinkId = Base64Url(RandomNumberGenerator.GetBytes(9)),
            ChannelId = key.ChannelId,
            ConversationId = key.ConversationId,
            UserId = key.UserId,
            Ingress = key.Ingress,
            Locale = locale,
            CreatedAt = now,
            ExpiresAt = now + settings.LinkLifetime,
        };
        var linkKey = LinkKeyOf(state);
        await _storage.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [linkKey] = Write(record, null, record.ExpiresAt + Afterlife),
            [PendingKey(key)] = Write(new PendingSignIn { LinkKey = linkKey, LinkId = record.LinkId }, StoreWrite.AnyETag, record.ExpiresAt + settings.CodeLifetime + Afterlife),
        }, cancellationToken).ConfigureAwait(false);
        LogLinkCreated(_logger, record.LinkId);
        var url = new Uri($"{BaseUrl().TrimEnd('/')}/signin?state={state}");
        return new LinkCreation(LinkCreationStatus.Created, new SignInLink(url, record.ExpiresAt));
    }

    /// <summary>Where <paramref name="key"/>'s sign-in stands; nothing changes.</summary>
    public async Task<PendingSignInStatus> GetStatusAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (_, link) = await ReadPendingAsync(key, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return PendingSignInStatus.None;
        }
        var now = _timeProvider.GetUtcNow();
        var record = link.Value;
        if (!record.IsUsed)
        {
            return now >= record.ExpiresAt ? PendingSignInStatus.LinkExpired : PendingSignInStatus.WaitingForPage;
        }
        return now >= record.CodeExpiresAt ? PendingSignInStatus.CodeExpired : PendingSignInStatus.WaitingForCode;
    }

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

            if (!Matches(record, code))
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

    /// <summary>Abandons <paramref name="key"/>'s sign-in in progress, ending its Aria session if the page opened one.</summary>
    public async Task CancelAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (pending, link) = await ReadPendingAsync(key, cancellationToken).ConfigureAwait(false);
        if (pending is not null)
        {
            await ForgetAsync(key, pending.LinkKey, link?.Value.AriaSessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the Aria sessions of sign-ins abandoned after the page: the customer signed in there (a session was opened)
    /// but the code was never typed, and it has now expired. Each record loses its session id under its eTag before
    /// the session is ended, so a turn redeeming or forgetting the same link at that moment and this sweep never both
    /// end it; the record itself stays until its storage expiry, so a late code is still told it expired.
    /// Looks at the records whose key (a hex hash) starts with <paramref name="keyPrefix"/>, at most
    /// <paramref name="batchSize"/> of them. Returns how many sessions were ended.
    /// </summary>
    internal async Task<int> EndAbandonedAsync(string keyPrefix, int batchSize, CancellationToken cancellationToken)
    {
        var items = await _storage.ReadPrefixAsync(LinkPrefix + keyPrefix, batchSize, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var ended = 0;
        foreach (var (linkKey, item) in items)
        {
            if (item.Document.ValueKind != System.Text.Json.JsonValueKind.Object || !item.Document.TryGetProperty("linkId", out _))
            {
                continue; // a redeemed link's tombstone
            }
            var record = System.Text.Json.JsonSerializer.Deserialize<SignInLinkRecord>(item.Document, StateJson.Options);
            if (record is not { AriaSessionId: { } sessionId, CodeExpiresAt: { } codeExpiresAt } || now < codeExpiresAt)
            {
                continue;
            }
            record.AriaSessionId = null;
            try
            {
                await _storage.WriteAsync(linkKey, record, item.ETag, item.ExpiresAt ?? codeExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                continue; // the chat side got to it first (redeemed, expired or replaced) and handles its session
            }
            await _accountSession.KillAsync(sessionId, cancellationToken).ConfigureAwait(false);
            LogAbandonedEnded(_logger, record.LinkId);
            ended++;
        }
        return ended;
    }

    // ---- page side ----

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
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var salt = Base64Url(RandomNumberGenerator.GetBytes(16));
        record.SignedInAt = now;
        record.CodeExpiresAt = now + settings.CodeLifetime;
        record.CodeSalt = salt;
        record.CodeHash = Hash(salt, code);
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
        var key = SignInCounters.IpKey(address);
        if (await _counters.TryTakeAsync(key, limits.PostsPerIp, limits.PostsPerIpWindow, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        LogIpRateLimited(_logger);
        return await _counters.RetryAfterAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aria's own failures and transport failures are not the customer's fault: never "wrong password".</summary>
    private static bool IsOutage(AriaError error) =>
        error.Kind != AriaErrorKind.Aria
        || error.KnownCode is AriaErrorCode.Unexpected or AriaErrorCode.HostNotPermitted or AriaErrorCode.AuthenticationFailed
            or AriaErrorCode.ClientNotEnabledForApi or AriaErrorCode.NotAttempted;

    // ---- helpers ----

    private bool IsOpen(SignInLinkRecord record) => !record.IsUsed && _timeProvider.GetUtcNow() < record.ExpiresAt;

    private async Task<Stored<SignInLinkRecord>?> ReadLinkAsync(string? state, CancellationToken cancellationToken)
    {
        if (!IsWellFormedState(state))
        {
            return null;
        }
        return await ReadRecordAsync(LinkKeyOf(state!), cancellationToken).ConfigureAwait(false);
    }

    private async Task<(PendingSignIn? Pending, Stored<SignInLinkRecord>? Link)> ReadPendingAsync(BindingKey key, CancellationToken cancellationToken)
    {
        var pending = await _storage.ReadAsync<PendingSignIn>(PendingKey(key), cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return (null, null);
        }
        var link = await ReadRecordAsync(pending.Value.LinkKey, cancellationToken).ConfigureAwait(false);
        // The link must belong to this very user and conversation, seen through the same ingress; anything else
        // (also a link stored before links recorded their ingress) is treated as no sign-in.
        if (link is not null && (link.Value.ChannelId != key.ChannelId || link.Value.ConversationId != key.ConversationId || link.Value.UserId != key.UserId
            || link.Value.Ingress != key.Ingress))
        {
            link = null;
        }
        return (pending.Value, link);
    }

    private async Task<Stored<SignInLinkRecord>?> ReadRecordAsync(string linkKey, CancellationToken cancellationToken)
    {
        var items = await _storage.ReadAsync([linkKey], cancellationToken).ConfigureAwait(false);
        if (!items.TryGetValue(linkKey, out var item) || item.Document.ValueKind != System.Text.Json.JsonValueKind.Object
            || !item.Document.TryGetProperty("linkId", out _))
        {
            // Absent, or a redeemed link's tombstone.
            return null;
        }
        var record = System.Text.Json.JsonSerializer.Deserialize<SignInLinkRecord>(item.Document, StateJson.Options);
        return record is null ? null : new Stored<SignInLinkRecord>(record, item.ETag);
    }

    private async Task ForgetAsync(BindingKey key, string linkKey, [SecretData] string? ariaSessionId, CancellationToken cancellationToken)
    {
        await _storage.DeleteAsync([linkKey, PendingKey(key)], cancellationToken).ConfigureAwait(false);
        if (ariaSessionId is not null)
        {
            await _accountSession.KillAsync(ariaSessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Matches(SignInLinkRecord record, string code)
    {
        if (record.CodeSalt is null || record.CodeHash is null)
        {
            return false;
        }
        var given = Encoding.ASCII.GetBytes(Hash(record.CodeSalt, code));
        var expected = Encoding.ASCII.GetBytes(record.CodeHash);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static string Hash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));

    private static bool IsWellFormedState(string? state) =>
        state is { Length: 43 } && state.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string LinkKeyOf(string state) => LinkPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(state)));

    internal static string PendingKey(BindingKey key) => PendingPrefix + key.StoragePath;

    private static StoreWrite Write<T>(T value, string? eTag, DateTimeOffset expiresAt) =>
        new(System.Text.Json.JsonSerializer.SerializeToElement(value, StateJson.Options), eTag, expiresAt);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Where links point: <c>SignIn:PublicBaseUrl</c>; in Development without it, <c>DirectLine:PublicBaseUrl</c>,
    /// else the address this host listens on (http://localhost:3978 under <c>dotnet run</c>), else http://localhost.
    /// Start-up requires <c>SignIn:PublicBaseUrl</c> outside Development.
    /// </summary>
    internal string BaseUrl()
    {
        if (_options.CurrentValue.PublicBaseUrl is { } configured)
        {
            return configured.ToString();
        }
        if (_directLineOptions?.CurrentValue.PublicBaseUrl is { Length: > 0 } directLine)
        {
            return directLine;
        }
        var address = _server?.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .FirstOrDefault();
        if (address is not null)
        {
            // Wildcard bindings (http://+:80, http://[::]:80, http://0.0.0.0:80) are reached through localhost locally.
            return address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        }
        return "http://localhost";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId} created")]
    private static partial void LogLinkCreated(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link refused: too many links in this conversation")]
    private static partial void LogLinkRateLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code refused: too many codes typed in this conversation")]
    private static partial void LogCodeRateLimited(ILogger logger);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: wrong code ({WrongCodes} so far)")]
    private static partial void LogCodeWrong(ILogger logger, string linkId, int wrongCodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {LinkId}: code burned after {WrongCodes} wrong codes; the Aria session was ended")]
    private static partial void LogCodeBurned(ILogger logger, string linkId, int wrongCodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: the code expired; the Aria session was ended")]
    private static partial void LogCodeExpired(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: the code was never typed and has expired; the Aria session was ended")]
    private static partial void LogAbandonedEnded(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: code accepted, session bound")]
    private static partial void LogRedeemed(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code could not be checked with Aria: error {Code}")]
    private static partial void LogUnavailable(ILogger logger, long code);
}
