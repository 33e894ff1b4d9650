using System.Security.Cryptography;
using Aria.Client;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Logging;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>A payment-method link for the chat. <see cref="Url"/> carries the single-use state: a secret, never logged.</summary>
public sealed record PaymentMethodLink(Uri Url, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"PaymentMethodLink {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>What the page may do with a state.</summary>
internal sealed record OpenedLink(bool IsUsable, string? Locale, bool Replaces);

/// <summary>
/// The links to the secure payment-method page: made in chat for one chat user, conversation, ingress and the
/// account Aria validated; opened by GET any number of times (a link preview uses nothing); consumed only by the
/// page's post, atomically, under the record's eTag (<c>PaymentMethodLinks.Submit.cs</c>).
/// Storage keys: <c>paymethods/links/{sha256(state)}</c> and the counters <c>paymethods/limits/…</c>.
/// </summary>
public sealed partial class PaymentMethodLinks
{
    internal const string LinkPrefix = "paymethods/links/";

    // A used or expired record is kept a while so that a late or second post is told "already used", not "unknown".
    private static readonly TimeSpan Afterlife = TimeSpan.FromHours(1);
    private static readonly TimeSpan LinksWindow = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly IStorage _storage;
    private readonly IAriaClient _aria;
    private readonly ISessionBindings _bindings;
    private readonly SignInLinks _signInLinks;
    private readonly SignInCounters _counters;
    private readonly PaymentMethodNotice _notice;
    private readonly Audit.IAuditLog _audit;
    private readonly IOptionsMonitor<PaymentMethodOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PaymentMethodLinks> _logger;

    public PaymentMethodLinks(IStorage storage, IAriaClient aria, ISessionBindings bindings, SignInLinks signInLinks, PaymentMethodNotice notice, Audit.IAuditLog audit,
        IOptionsMonitor<PaymentMethodOptions> options, TimeProvider timeProvider, ILogger<PaymentMethodLinks> logger)
    {
        _storage = storage;
        _aria = aria;
        _bindings = bindings;
        _signInLinks = signInLinks;
        _notice = notice;
        _audit = audit;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _counters = new SignInCounters(storage, timeProvider);
    }

    /// <summary>
    /// A new link for <paramref name="key"/>'s chat user to add a card to <paramref name="accountNo"/> (replacing
    /// <paramref name="replaces"/> when given). Null when too many links were made in this conversation lately.
    /// </summary>
    public async Task<PaymentMethodLink?> CreateAsync(BindingKey key, long accountNo, long? replaces, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(activity);
        var settings = _options.CurrentValue;
        if (!await _counters.TryTakeAsync("paymethods/limits/links/" + key.ConversationPath, settings.LinksPerConversation, LinksWindow, cancellationToken).ConfigureAwait(false))
        {
            LogLinkRateLimited(_logger);
            return null;
        }
        var state = LinkState.New();
        var now = _timeProvider.GetUtcNow();
        var record = new PaymentMethodLinkRecord
        {
            LinkId = LinkState.Base64Url(RandomNumberGenerator.GetBytes(9)),
            ChannelId = key.ChannelId,
            ConversationId = key.ConversationId,
            UserId = key.UserId,
            Ingress = key.Ingress,
            AccountNo = accountNo,
            ReplacesPaymentMethodNo = replaces,
            Locale = activity.Locale,
            ReceiptId = "pm-" + Guid.NewGuid().ToString("N"),
            Reference = activity.GetConversationReference(),
            CreatedAt = now,
            ExpiresAt = now + settings.LinkLifetime,
        };
        await _storage.WriteAsync(LinkKeyOf(state), record, eTag: null, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        LogLinkCreated(_logger, record.LinkId);
        return new PaymentMethodLink(new Uri($"{_signInLinks.BaseUrl().TrimEnd('/')}{PaymentMethodPage.Path}?state={state}"), record.ExpiresAt);
    }

    /// <summary>Whether the page may show its form for <paramref name="state"/>. Reads only: a GET never uses a link.</summary>
    internal async Task<OpenedLink> OpenAsync([SecretData] string? state, CancellationToken cancellationToken)
    {
        var link = await ReadAsync(state, cancellationToken).ConfigureAwait(false);
        return link is { } found && IsOpen(found.Value)
            ? new OpenedLink(true, found.Value.Locale, found.Value.ReplacesPaymentMethodNo is not null)
            : new OpenedLink(false, link?.Value.Locale, false);
    }

    private bool IsOpen(PaymentMethodLinkRecord record) => record.SubmittedAt is null && _timeProvider.GetUtcNow() < record.ExpiresAt;

    private async Task<Stored<PaymentMethodLinkRecord>?> ReadAsync(string? state, CancellationToken cancellationToken)
    {
        if (!LinkState.IsWellFormed(state))
        {
            return null;
        }
        return await _storage.ReadAsync<PaymentMethodLinkRecord>(LinkKeyOf(state), cancellationToken).ConfigureAwait(false);
    }

    private static string LinkKeyOf(string state) => LinkPrefix + LinkState.Hash(state);

    private static string AccountLimitKey(long accountNo) => "paymethods/limits/account/" + accountNo.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment-method link {LinkId} created")]
    private static partial void LogLinkCreated(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link refused: too many links in this conversation")]
    private static partial void LogLinkRateLimited(ILogger logger);
}
