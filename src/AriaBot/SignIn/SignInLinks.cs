using Aria.Client;
using AriaBot.Session;
using BotRuntime.Logging;
using BotRuntime.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

/// <summary>
/// Sign-in by link and code. The chat asks for a link bound to (channel, conversation, user); the page, given the
/// link's state, signs the customer in with Aria (<c>set_session_auth_m</c>) and shows a 6-digit code; the code,
/// typed back in the same conversation by the same user, binds the session. A forwarded link is useless to
/// whoever receives it: the code only works in the conversation that asked for the link.
/// <para>
/// One class over one storage layout, in files by responsibility: this one holds the storage (keys, reads,
/// forgetting a sign-in); <c>SignInLinks.Create.cs</c> the chat's link (create, status, cancel);
/// <c>SignInLinks.Redeem.cs</c> the typed code; <c>SignInLinks.Page.cs</c> the page (open, submit, per-address limit);
/// <c>SignInLinks.Abandoned.cs</c> what the sweep ends. Codes are made and compared in <see cref="SignInCode"/>.
/// </para>
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

    private static string LinkKeyOf(string state) => LinkPrefix + LinkState.Hash(state);

    internal static string PendingKey(BindingKey key) => PendingPrefix + key.StoragePath;

    private static StoreWrite Write<T>(T value, string? eTag, DateTimeOffset expiresAt) =>
        new(System.Text.Json.JsonSerializer.SerializeToElement(value, StateJson.Options), eTag, expiresAt);
}
