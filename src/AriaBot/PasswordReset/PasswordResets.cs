using System.Security.Cryptography;
using System.Text;
using AriaBot.Email;
using AriaBot.Session;
using AriaBot.SignIn;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.Logging;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.PasswordReset;

/// <summary>How asking for a reset in chat went.</summary>
public enum ResetStartStatus
{
    /// <summary>A link was made and the lookup queued (whether or not the user id exists).</summary>
    Started,

    /// <summary>Too many resets asked for in this conversation.</summary>
    ConversationLimited,

    /// <summary>Too many codes for this user id today (counted for any user id, existing or not).</summary>
    UserIdLimited,
}

public sealed record ResetStart(ResetStartStatus Status, [property: SecretData] Uri? Url = null)
{
    public override string ToString() => $"ResetStart {{ Status = {Status} }}";
}

/// <summary>
/// The reset's storage and steps (see README.md): the chat's request (<see cref="StartAsync"/>), its status, and the
/// page's side (PasswordResets.Page.cs). One class over one storage layout, split by responsibility.
/// </summary>
public sealed partial class PasswordResets(IStorage storage, Outbox outbox, SignInLinks signInLinks, AccountSessionsEnder sessionsEnder, Aria.Client.IAriaClient aria,
    Audit.IAuditLog audit, IOptionsMonitor<PasswordResetOptions> options, TimeProvider timeProvider, ILogger<PasswordResets> logger)
{
    internal const string LinkPrefix = "reset/links/";
    internal const string CodePrefix = "reset/codes/";
    internal const string PendingPrefix = "reset/pending/";
    internal const string EmailChangePrefix = "reset/email-changes/";
    public const string PagePath = "/password-reset";

    /// <summary>Records kept this long after their link or code ends, so late visitors get a clear answer.</summary>
    private static readonly TimeSpan Afterlife = VerificationLinks<ResetLinkRecord>.Afterlife;

    private static readonly VerificationKeys Keys = new("reset", LinkPrefix, PendingPrefix);

    private readonly SignInCounters _counters = new(storage, timeProvider);

    /// <summary>The link, the pending marker, the page's limit and the code check: the verification-code flow shared with the e-mail change.</summary>
    private readonly VerificationLinks<ResetLinkRecord> _links = new(storage, timeProvider, Keys, () => options.CurrentValue, logger);

    /// <summary>What the reset page asks of the shared flow.</summary>
    internal IVerificationPageSide PageSide => _links;

    /// <summary>
    /// The chat's side: counts the request against the conversation's and the user id's limits (the same whether or not
    /// the user id exists), makes the page's link, and queues the lookup and the e-mail. Only storage writes: the reply
    /// never waits on Aria or SMTP.
    /// </summary>
    public async Task<ResetStart> StartAsync(BindingKey key, string userId, string? locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var settings = options.CurrentValue;
        if (!await _counters.TryTakeAsync("reset/limits/conversation/" + key.ConversationPath, settings.RequestsPerConversation, settings.RequestsWindow, cancellationToken).ConfigureAwait(false))
        {
            LogConversationLimited(logger);
            return new ResetStart(ResetStartStatus.ConversationLimited);
        }
        if (!await _counters.TryTakeAsync(UserIdCounterKey(userId), settings.CodesPerUserId, settings.CodesWindow, cancellationToken).ConfigureAwait(false))
        {
            LogUserIdLimited(logger);
            return new ResetStart(ResetStartStatus.UserIdLimited);
        }

        var now = timeProvider.GetUtcNow();
        var record = new ResetLinkRecord
        {
            LinkId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            ChannelId = key.ChannelId,
            ConversationId = key.ConversationId,
            ChatUserId = key.UserId,
            Ingress = key.Ingress,
            Locale = locale,
            ExpiresAt = now + settings.LinkLifetime,
        };
        var (state, linkHash) = await _links.CreateAsync(key, record, cancellationToken).ConfigureAwait(false);
        await outbox.EnqueueAsync(ResetCodeSender.JobKind, new ResetCodeJob(linkHash, record.LinkId, userId.Trim(), locale), cancellationToken).ConfigureAwait(false);
        LogStarted(logger, record.LinkId);
        return new ResetStart(ResetStartStatus.Started, new Uri($"{signInLinks.BaseUrl().TrimEnd('/')}{PagePath}?state={state}"));
    }

    /// <summary>Where this chat user's latest reset stands; null when there is none (or it is long gone).</summary>
    public async Task<ResetStatus?> GetStatusAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = await _links.PendingAsync(key, cancellationToken).ConfigureAwait(false);
        if (pending is not { Link: { } link })
        {
            return null;
        }
        return link.Value.Status;
    }

    /// <summary>
    /// Until when this chat user's reset code is awaited in chat (<see cref="VerificationLinks{TLink}.CodeAwaitedUntil"/>):
    /// the issued code's expiry, never past the link's; null when no reset waits (none, completed or cancelled).
    /// </summary>
    public async Task<DateTimeOffset?> CodeAwaitedUntilAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (await _links.PendingAsync(key, cancellationToken).ConfigureAwait(false) is not { Link: { } link } pending)
        {
            return null;
        }
        var code = await storage.ReadAsync<ResetCodeRecord>(CodePrefix + pending.LinkHash, cancellationToken).ConfigureAwait(false);
        return _links.CodeAwaitedUntil(link.Value, code?.Value.ExpiresAt);
    }

    /// <summary>
    /// The customer cancelled the reset in chat: its link stops working (the page answers that it is unusable, a queued
    /// code is never sent) and nothing is awaited any more, so the chat stops holding back code-like messages.
    /// </summary>
    public async Task CancelAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (await _links.PendingAsync(key, cancellationToken).ConfigureAwait(false) is { } pending)
        {
            await storage.DeleteAsync([LinkPrefix + pending.LinkHash, CodePrefix + pending.LinkHash], cancellationToken).ConfigureAwait(false);
        }
        await _links.ForgetPendingAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For the contact-update flow: the account's e-mail address was changed from <paramref name="previousAddress"/>.
    /// For <see cref="PasswordResetOptions.PreviousAddressWindow"/> a reset code also goes there.
    /// </summary>
    public Task RecordEmailChangeAsync(long accountNo, string previousAddress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(previousAddress);
        var now = timeProvider.GetUtcNow();
        var window = options.CurrentValue.PreviousAddressWindow;
        if (window <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }
        return storage.WriteAsync(EmailChangePrefix + accountNo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new EmailChangeRecord { PreviousAddress = previousAddress, ChangedAt = now }, StoreWrite.AnyETag, now + window, cancellationToken);
    }

    /// <summary>The reset this chat user waits on (its presence also has the Direct Line echo of a code-like message stored redacted).</summary>
    internal static string PendingKey(BindingKey key) => PendingPrefix + key.StoragePath;

    /// <summary>Hashed: a typed user id may be a password typed in the wrong place.</summary>
    internal static string UserIdCounterKey(string userId) => "reset/limits/user/" + Sha256(userId.Trim().ToUpperInvariant());

    internal static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {LinkId}: asked for in chat; lookup queued")]
    private static partial void LogStarted(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset refused: too many resets in this conversation")]
    private static partial void LogConversationLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset refused: too many codes for the typed user id today")]
    private static partial void LogUserIdLimited(ILogger logger);
}
