using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AriaBot.Email;
using AriaBot.Language;
using AriaBot.PasswordReset;
using AriaBot.Session;
using AriaBot.SignIn;
using AriaBot.SignIn.VerificationCodes;
using BotRuntime.Logging;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.EmailChange;

public enum EmailChangeStartStatus
{
    Started,

    /// <summary>Too many codes for this account today.</summary>
    AccountLimited,
}

public sealed record EmailChangeStart(EmailChangeStartStatus Status, [property: SecretData] Uri? Url = null)
{
    public override string ToString() => $"EmailChangeStart {{ Status = {Status} }}";
}

/// <summary>
/// The verified change of the account e-mail, its storage and the chat's side of it (see README.md): asking
/// (<see cref="StartAsync"/>: limits, the link, the queued code e-mail to the new address, the notice to the old one),
/// where it stands, and ending it. The page's side is in EmailChanges.Page.cs. Nothing here writes to Aria: the chat
/// writes the new address through the shared confirmation once the page has verified the code.
/// </summary>
public sealed partial class EmailChanges(IStorage storage, Outbox outbox, SignInLinks signInLinks, IWords words, EmailChangeNotice notice,
    IOptionsMonitor<EmailChangeOptions> options, TimeProvider timeProvider, ILogger<EmailChanges> logger)
{
    internal const string LinkPrefix = "emailchange/links/";
    internal const string PendingPrefix = "emailchange/pending/";
    internal const string DoneToldPrefix = "emailchange/done-told/";
    public const string PagePath = "/email-change";

    /// <summary>How long a write may wait to be proven done and still have its old address told (and the marker kept).</summary>
    private static readonly TimeSpan DoneNoticeWindow = TimeSpan.FromDays(30);

    private static readonly VerificationKeys Keys = new("emailchange", LinkPrefix, PendingPrefix);

    private readonly SignInCounters _counters = new(storage, timeProvider);

    /// <summary>The link, the pending marker, the page's limit and the code check: the verification-code flow shared with the password reset.</summary>
    private readonly VerificationLinks<EmailChangeRecord> _links = new(storage, timeProvider, Keys, () => options.CurrentValue, logger);

    /// <summary>What the e-mail change page asks of the shared flow.</summary>
    internal IVerificationPageSide PageSide => _links;

    /// <summary>
    /// Counts the code against the account's daily limit, makes the page's link, queues the code e-mail to the new
    /// address (the code is made by the job, never stored in clear) and the notice to the old address. Only storage
    /// writes: the reply never waits on SMTP.
    /// </summary>
    public async Task<EmailChangeStart> StartAsync(BindingKey key, long accountNo, string oldAddress, string newAddress, string? locale, ConversationReference? reference,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var settings = options.CurrentValue;
        if (!await _counters.TryTakeAsync(AccountCounterKey(accountNo), settings.CodesPerAccount, settings.CodesWindow, cancellationToken).ConfigureAwait(false))
        {
            LogAccountLimited(logger);
            return new EmailChangeStart(EmailChangeStartStatus.AccountLimited);
        }
        // A change asked for again replaces the earlier one: its link stops working.
        await EndPendingAsync(key, cancellationToken).ConfigureAwait(false);

        var record = new EmailChangeRecord
        {
            LinkId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            ChannelId = key.ChannelId,
            ConversationId = key.ConversationId,
            ChatUserId = key.UserId,
            Ingress = key.Ingress,
            Locale = locale,
            AccountNo = accountNo,
            OldAddress = oldAddress,
            NewAddress = newAddress,
            ExpiresAt = timeProvider.GetUtcNow() + settings.LinkLifetime,
            Reference = reference,
        };
        var (state, linkHash) = await _links.CreateAsync(key, record, cancellationToken).ConfigureAwait(false);
        await outbox.EnqueueAsync(EmailChangeCodeSender.JobKind, new EmailChangeCodeJob(linkHash, record.LinkId), cancellationToken).ConfigureAwait(false);
        // The old address hears of it at once: a hijacked chat cannot change the address quietly.
        if (!string.IsNullOrEmpty(oldAddress))
        {
            await outbox.EnqueueEmailAsync(ResetEmailJobs.Compose(oldAddress, words.Format(EmailChangeWords.EmailRequestedSubject, locale),
                [words.Format(EmailChangeWords.EmailRequestedBody, locale, new { masked = Mask(newAddress) }), words.Format(EmailChangeWords.EmailNotYou, locale)],
                "account-email-change-requested"), cancellationToken).ConfigureAwait(false);
        }
        LogStarted(logger, record.LinkId);
        return new EmailChangeStart(EmailChangeStartStatus.Started, new Uri($"{signInLinks.BaseUrl().TrimEnd('/')}{PagePath}?state={state}"));
    }

    /// <summary>The change this chat user waits on, or null.</summary>
    public async Task<EmailChangeRecord?> GetPendingAsync(BindingKey key, CancellationToken cancellationToken) =>
        (await _links.PendingAsync(key, cancellationToken).ConfigureAwait(false))?.Link?.Value;

    /// <summary>
    /// Until when this chat user's e-mail change code is awaited in chat (<see cref="VerificationLinks{TLink}.CodeAwaitedUntil"/>):
    /// the issued code's expiry, never past the link's; null when no change waits (none, verified, locked or ended).
    /// </summary>
    public async Task<DateTimeOffset?> CodeAwaitedUntilAsync(BindingKey key, CancellationToken cancellationToken) =>
        (await _links.PendingAsync(key, cancellationToken).ConfigureAwait(false))?.Link is { } link
            ? _links.CodeAwaitedUntil(link.Value, link.Value.CodeExpiresAt)
            : null;

    /// <summary>Ends the change this chat user waits on (written, declined, cancelled): its link no longer works.</summary>
    public async Task EndPendingAsync(BindingKey key, CancellationToken cancellationToken)
    {
        if (await _links.PendingAsync(key, cancellationToken).ConfigureAwait(false) is not { } pending)
        {
            return;
        }
        if (pending.Link is { } link && link.Value.Status != EmailChangeStatus.Ended)
        {
            link.Value.Status = EmailChangeStatus.Ended;
            try
            {
                await _links.SaveAsync(pending.LinkHash, link.Value, link.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                // The page changed it meanwhile (a wrong code counted): the pending marker goes anyway, so the chat
                // never acts on it again.
            }
        }
        await _links.ForgetPendingAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Before the write: remembers the language of the "done" notice for <see cref="EmailChangeDoneNotice"/>, which tells
    /// the old address once the write is known applied, whether at once or proven later by reconciliation (after a crash
    /// or a lost reply, when the link record may be gone). Holds no address, only the hash of the new one.
    /// </summary>
    public Task RememberWriteAsync(long accountNo, string newAddress, string? locale, CancellationToken cancellationToken) =>
        storage.WriteAsync(WrittenKey(accountNo, newAddress), new EmailChangeWrite { Locale = locale }, StoreWrite.AnyETag,
            timeProvider.GetUtcNow() + DoneNoticeWindow, cancellationToken);

    /// <summary>The notice's language remembered for this change, or null (the default language).</summary>
    public async Task<string?> WriteLocaleAsync(long accountNo, string newAddress, CancellationToken cancellationToken) =>
        (await storage.ReadAsync<EmailChangeWrite>(WrittenKey(accountNo, newAddress), cancellationToken).ConfigureAwait(false))?.Value.Locale;

    /// <summary>
    /// Tells the old address that the change was made, once per write (<paramref name="writeId"/>, the receipt id):
    /// the marker and the queued e-mail are one atomic write, so the two paths that may prove the write never both send.
    /// </summary>
    public async Task TellOldAddressDoneOnceAsync(string writeId, string oldAddress, string newAddress, string? locale, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(writeId);
        if (string.IsNullOrEmpty(oldAddress))
        {
            return;
        }
        var message = ResetEmailJobs.Compose(oldAddress, words.Format(EmailChangeWords.EmailDoneSubject, locale),
            [words.Format(EmailChangeWords.EmailDoneBody, locale, new { masked = Mask(newAddress) }), words.Format(EmailChangeWords.EmailNotYou, locale)],
            "account-email-changed");
        if (await outbox.EnqueueOnceAsync(EmailJobHandler.JobKind, message, DoneToldPrefix + Sha256(writeId), timeProvider.GetUtcNow() + DoneNoticeWindow, cancellationToken).ConfigureAwait(false))
        {
            LogDoneQueued(logger);
        }
    }

    internal static string WrittenKey(long accountNo, string newAddress) =>
        $"emailchange/written/{accountNo.ToString(CultureInfo.InvariantCulture)}/{Sha256(newAddress.Trim().ToLowerInvariant())}";

    /// <summary>The pending change's presence also has the Direct Line echo of a code-like message stored redacted.</summary>
    public static string PendingKey(BindingKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PendingPrefix + key.StoragePath;
    }

    /// <summary>"c***@example.net": enough for the owner of the old address to recognise it, not a copy of it.</summary>
    internal static string Mask(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }

    internal static string AccountCounterKey(long accountNo) => "emailchange/limits/account/" + accountNo.ToString(CultureInfo.InvariantCulture);

    internal static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change {LinkId}: asked for in chat; code and notice queued")]
    private static partial void LogStarted(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account e-mail change written: the old address's notice is queued")]
    private static partial void LogDoneQueued(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account e-mail change refused: too many codes for this account today")]
    private static partial void LogAccountLimited(ILogger logger);
}
