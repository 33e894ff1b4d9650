using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AriaBot.Email;
using AriaBot.Language;
using AriaBot.PasswordReset;
using AriaBot.Session;
using AriaBot.SignIn;
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
    public const string PagePath = "/email-change";

    /// <summary>Records kept this long after their link ends, so a late visitor gets a clear answer.</summary>
    private static readonly TimeSpan Afterlife = TimeSpan.FromHours(1);

    private readonly SignInCounters _counters = new(storage, timeProvider);

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

        var state = LinkState.New();
        var linkHash = LinkState.Hash(state);
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
        await storage.WriteAsync(LinkPrefix + linkHash, record, eTag: null, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(PendingKey(key), new PendingEmailChange { LinkHash = linkHash }, StoreWrite.AnyETag, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
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
    public async Task<EmailChangeRecord?> GetPendingAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = await storage.ReadAsync<PendingEmailChange>(PendingKey(key), cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return null;
        }
        return (await storage.ReadAsync<EmailChangeRecord>(LinkPrefix + pending.Value.LinkHash, cancellationToken).ConfigureAwait(false))?.Value;
    }

    /// <summary>Ends the change this chat user waits on (written, declined, cancelled): its link no longer works.</summary>
    public async Task EndPendingAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = await storage.ReadAsync<PendingEmailChange>(PendingKey(key), cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return;
        }
        var link = await storage.ReadAsync<EmailChangeRecord>(LinkPrefix + pending.Value.LinkHash, cancellationToken).ConfigureAwait(false);
        if (link is not null && link.Value.Status != EmailChangeStatus.Ended)
        {
            link.Value.Status = EmailChangeStatus.Ended;
            try
            {
                await storage.WriteAsync(LinkPrefix + pending.Value.LinkHash, link.Value, link.ETag, link.Value.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                // The page changed it meanwhile (a wrong code counted): the pending marker goes anyway, so the chat
                // never acts on it again.
            }
        }
        await storage.DeleteAsync([PendingKey(key)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the old address that the change was made (queued; the chat does not wait on SMTP).</summary>
    public Task TellOldAddressDoneAsync(EmailChangeRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.OldAddress))
        {
            return Task.CompletedTask;
        }
        var locale = record.Locale;
        return outbox.EnqueueEmailAsync(ResetEmailJobs.Compose(record.OldAddress, words.Format(EmailChangeWords.EmailDoneSubject, locale),
            [words.Format(EmailChangeWords.EmailDoneBody, locale, new { masked = Mask(record.NewAddress) }), words.Format(EmailChangeWords.EmailNotYou, locale)],
            "account-email-changed"), cancellationToken);
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account e-mail change refused: too many codes for this account today")]
    private static partial void LogAccountLimited(ILogger logger);
}
