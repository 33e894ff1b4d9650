using System.Net;
using AriaBot.Session;
using BotRuntime.Logging;
using BotRuntime.State;

namespace AriaBot.SignIn.VerificationCodes;

/// <summary>
/// A link of a verification-code flow as the shared steps need it. Its record is the flow's own (what the code will
/// prove, and for whom); each implements <see cref="IsWaiting"/> explicitly, so it is never stored.
/// </summary>
internal interface IVerificationLink
{
    /// <summary>Random and not secret: log lines and outbox jobs name the link by it.</summary>
    string LinkId { get; }

    string? Locale { get; }

    DateTimeOffset ExpiresAt { get; }

    /// <summary>Still waiting for its code: not completed, verified, locked or ended.</summary>
    bool IsWaiting { get; }
}

/// <summary>Where one flow keeps its links: <c>{Links}{sha256(state)}</c>, <c>{Pending}{binding key path}</c>, and <c>{Area}/limits/ip/…</c>.</summary>
internal sealed record VerificationKeys(string Area, string Links, string Pending);

/// <summary><c>{pending prefix}{binding key path}</c>: the link this chat user waits on (the hash of its state). The same JSON for every flow.</summary>
public sealed class PendingVerification
{
    public required string LinkHash { get; init; }
}

/// <summary>What the page's side needs of a flow, whatever its records: whether a link opens a form, and the per-address limit.</summary>
internal interface IVerificationPageSide
{
    Task<(bool IsUsable, string? Locale)> OpenAsync([SecretData] string? state, CancellationToken cancellationToken);

    /// <summary>Counts one post of the page from <paramref name="address"/>; null when it may go on, else how long to wait.</summary>
    Task<TimeSpan?> TakePostFromAsync(IPAddress? address, CancellationToken cancellationToken);
}

/// <summary>
/// The one verification-code flow that the password reset and the account e-mail change are built on (see README.md):
/// a link made with the chat's reply (32 random bytes, stored by hash only, bound to the chat user), the chat user's
/// pending marker, the page's per-address limit, and the code check — wrong codes counted and locked under the
/// record's eTag, a right code spent under it, so two posts can neither both escape a count nor both succeed. What the
/// code proves, and what happens once it is right, stays with each flow.
/// </summary>
internal sealed class VerificationLinks<TLink>(IStorage storage, TimeProvider timeProvider, VerificationKeys keys, Func<VerificationCodeOptions> settings, ILogger logger)
    : IVerificationPageSide
    where TLink : class, IVerificationLink
{
    /// <summary>Records are kept this long after their link or code ends, so a late visitor gets a clear answer.</summary>
    public static readonly TimeSpan Afterlife = TimeSpan.FromHours(1);

    private readonly SignInCounters _counters = new(storage, timeProvider);

    /// <summary>
    /// Stores a new link and marks it as what this chat user waits on (a pending one of the same flow is replaced).
    /// Returns the raw state, which exists only in the link shown in chat, and its hash, which names the records.
    /// </summary>
    public async Task<(string State, string LinkHash)> CreateAsync(BindingKey key, TLink record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var state = LinkState.New();
        var linkHash = LinkState.Hash(state);
        await storage.WriteAsync(keys.Links + linkHash, record, eTag: null, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(PendingKey(key), new PendingVerification { LinkHash = linkHash }, StoreWrite.AnyETag, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        return (state, linkHash);
    }

    public string PendingKey(BindingKey key) => keys.Pending + key.StoragePath;

    /// <summary>The hash of the link this chat user waits on and the link itself (null when gone), or null when none.</summary>
    public async Task<(string LinkHash, Stored<TLink>? Link)?> PendingAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = await storage.ReadAsync<PendingVerification>(PendingKey(key), cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return null;
        }
        return (pending.Value.LinkHash, await ReadByHashAsync(pending.Value.LinkHash, cancellationToken).ConfigureAwait(false));
    }

    public Task ForgetPendingAsync(BindingKey key, CancellationToken cancellationToken) => storage.DeleteAsync([PendingKey(key)], cancellationToken);

    /// <summary>The link a page's state names; null for a state not of the link's shape (the store is not even asked) or an unknown one.</summary>
    public async Task<Stored<TLink>?> ReadAsync([SecretData] string? state, CancellationToken cancellationToken) =>
        LinkState.IsWellFormed(state) ? await ReadByHashAsync(LinkState.Hash(state), cancellationToken).ConfigureAwait(false) : null;

    public Task<Stored<TLink>?> ReadByHashAsync(string linkHash, CancellationToken cancellationToken) => storage.ReadAsync<TLink>(keys.Links + linkHash, cancellationToken);

    /// <summary>Stores a changed link under the eTag it was read with (a conflict is the caller's to handle).</summary>
    public Task<string> SaveAsync(string linkHash, TLink record, string eTag, CancellationToken cancellationToken) =>
        storage.WriteAsync(keys.Links + linkHash, record, eTag, record.ExpiresAt + Afterlife, cancellationToken);

    public bool IsOpen(TLink record) => record.IsWaiting && timeProvider.GetUtcNow() < record.ExpiresAt;

    /// <summary>
    /// Until when the chat holds back code-like messages for this link (the "code first" rule): the e-mailed code's
    /// expiry, never past the link's. Before a code exists (the job has not run, or the flow sends none, e.g. an unknown
    /// user id) it is when a code sent at the link's start would expire, so the hold ends at about the same time whether
    /// or not a code was sent and says nothing about the user id. Null once the link no longer waits (used, ended).
    /// </summary>
    /// <param name="codeExpiresAt">The issued code's expiry; null while none was issued.</param>
    public DateTimeOffset? CodeAwaitedUntil(TLink link, DateTimeOffset? codeExpiresAt)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.IsWaiting)
        {
            return null;
        }
        var current = settings();
        var codeEnds = codeExpiresAt ?? link.ExpiresAt - current.LinkLifetime + current.CodeLifetime;
        return codeEnds < link.ExpiresAt ? codeEnds : link.ExpiresAt;
    }

    public async Task<(bool IsUsable, string? Locale)> OpenAsync([SecretData] string? state, CancellationToken cancellationToken)
    {
        var link = await ReadAsync(state, cancellationToken).ConfigureAwait(false);
        return (link is { } usable && IsOpen(usable.Value), link?.Value.Locale);
    }

    /// <summary>Per client address, in the state store so the limit holds across instances; counted before anything else.</summary>
    public async Task<TimeSpan?> TakePostFromAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        var current = settings();
        var wait = await _counters.TakeFromAddressAsync(keys.Area, address, current.PostsPerIp, current.PostsPerIpWindow, cancellationToken).ConfigureAwait(false);
        if (wait is not null)
        {
            VerificationLog.IpLimited(logger, keys.Area);
        }
        return wait;
    }

    /// <summary>
    /// Checks <paramref name="code"/> against the code state stored at <paramref name="key"/> (read as
    /// <paramref name="stored"/>). A wrong code is counted, and the <see cref="VerificationCodeOptions.CodeAttempts"/>-th
    /// locks it; a right one is spent. Both are written under the eTag read, kept until <paramref name="keepUntil"/>.
    /// </summary>
    public async Task<CodeCheck> CheckAsync<TCode>(string key, Stored<TCode> stored, [SecretData] string code, DateTimeOffset keepUntil, CancellationToken cancellationToken)
        where TCode : class, IVerificationCodeState
    {
        ArgumentNullException.ThrowIfNull(stored);
        var record = stored.Value;
        if (record.IsLocked)
        {
            return new CodeCheck(CodeCheckOutcome.Locked);
        }
        if (record.IsSpent || record.Salt is null || record.Hash is null || record.ExpiresAt is not { } expires || timeProvider.GetUtcNow() >= expires)
        {
            return new CodeCheck(CodeCheckOutcome.Ended);
        }
        if (!VerificationCode.Matches(record.Salt, record.Hash, code))
        {
            var attempts = settings().CodeAttempts;
            record.WrongAttempts++;
            if (record.WrongAttempts >= attempts)
            {
                record.Lock();
            }
            try
            {
                await storage.WriteAsync(key, record, stored.ETag, keepUntil, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                // Another post changed the record meanwhile and was counted; this one is still answered as wrong, so
                // never more tries than the limit.
            }
            return record.IsLocked
                ? new CodeCheck(CodeCheckOutcome.Locked, WrongAttempts: record.WrongAttempts, Counted: true)
                : new CodeCheck(CodeCheckOutcome.Wrong, attempts - record.WrongAttempts, record.WrongAttempts, Counted: true);
        }

        // Spent before whatever the code allows is done, so a second post with the same code finds it spent.
        record.Spend();
        try
        {
            var eTag = await storage.WriteAsync(key, record, stored.ETag, keepUntil, cancellationToken).ConfigureAwait(false);
            return new CodeCheck(CodeCheckOutcome.Right, ETag: eTag);
        }
        catch (StorageConflictException)
        {
            return new CodeCheck(CodeCheckOutcome.Lost);
        }
    }
}

internal static partial class VerificationLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification page ({Area}) post refused: too many posts from this client address")]
    public static partial void IpLimited(ILogger logger, string area);
}

internal enum CodeCheckOutcome
{
    /// <summary>The right code, now spent (<see cref="CodeCheck.ETag"/> is the spent record's).</summary>
    Right,

    /// <summary>A wrong code, counted; <see cref="CodeCheck.AttemptsLeft"/> more may be tried.</summary>
    Wrong,

    /// <summary>Too many wrong codes (this one may have been the last): it never works again.</summary>
    Locked,

    /// <summary>No code was sent (yet), or it expired or was spent.</summary>
    Ended,

    /// <summary>The right code, but another post changed the record first: nothing was spent by this one.</summary>
    Lost,
}

/// <param name="Counted">This post was counted as a wrong code (the flows log it).</param>
internal sealed record CodeCheck(CodeCheckOutcome Outcome, int AttemptsLeft = 0, int WrongAttempts = 0, bool Counted = false, string? ETag = null);
