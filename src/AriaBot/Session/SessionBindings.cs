using BotRuntime.Logging;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Session;

/// <summary>
/// The server-side table of which Aria session belongs to which chat user (invariant 1, docs/invariants.md). Backed by
/// <see cref="IStorage"/>, so it holds across instances and restarts; entries expire. Nothing here calls Aria:
/// callers validate a session before binding it.
/// </summary>
public interface ISessionBindings
{
    /// <summary>
    /// The binding of <paramref name="key"/>, or null. Only a binding made through <paramref name="key"/>'s own
    /// ingress is returned: one made through another ingress, or stored without an ingress (before the upgrade),
    /// reads as none (and is left in place). In Azure mode a binding the portal registered for this
    /// Direct Line user (<see cref="RegisterForUserAsync"/>) is attached to this conversation on this first lookup
    /// and removed from the per-user table, so it serves exactly one conversation.
    /// </summary>
    Task<SessionBinding?> GetAsync(BindingKey key, CancellationToken cancellationToken = default);

    /// <summary>Binds (or re-binds) <paramref name="key"/> to a validated session.</summary>
    Task BindAsync(BindingKey key, SessionBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Forgets the binding of <paramref name="key"/>; nothing happens when there is none.</summary>
    Task RemoveAsync(BindingKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the Aria session <paramref name="ariaSessionId"/> was extended at <paramref name="extendedAt"/>,
    /// under the stored binding's eTag: a binding removed or re-bound to another session meanwhile is left as it is
    /// (never resurrected, never overwritten), and a later time already recorded by another turn or instance stays.
    /// True when the binding now carries that extension (or a later one); false when it no longer holds that session.
    /// </summary>
    Task<bool> RecordExtendedAsync(BindingKey key, [SecretData] string ariaSessionId, DateTimeOffset extendedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a turn of the customer bound to <paramref name="ariaSessionId"/> at <paramref name="at"/>: the binding's
    /// sliding expiry (<see cref="SessionBindingOptions.BindingLifetime"/> after the last turn) is renewed, never past
    /// <see cref="SessionBindingOptions.AbsoluteBindingLifetime"/> after binding. Conditional on the binding's eTag like
    /// <see cref="RecordExtendedAsync"/>. False when the binding no longer holds that session.
    /// </summary>
    Task<bool> RecordActivityAsync(BindingKey key, [SecretData] string ariaSessionId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(false);

    /// <summary>
    /// Azure mode: the portal registered a session for a <c>dl_</c> user before any conversation exists. It waits
    /// (for <see cref="SessionBindingOptions.PortalBindingLifetime"/>) for that user's first turn, whatever conversation it is in.
    /// A <c>dl_</c> id is unique per token issuance, so it cannot be claimed from another person's conversation.
    /// </summary>
    Task RegisterForUserAsync(string channelId, string userId, SessionBinding binding, CancellationToken cancellationToken = default);
}

/// <summary>
/// <see cref="ISessionBindings"/> over <see cref="IStorage"/>. Keys:
/// <c>session-bindings/c/{channel}/{conversation}/{user}</c> (a conversation's binding) and
/// <c>session-bindings/u/{channel}/{user}</c> (Azure mode, waiting for the user's first turn); the parts are
/// URL-escaped.
/// </summary>
/// <remarks>
/// The Aria session id is stored as it is, not encrypted with ASP.NET Data Protection: across instances the key
/// ring would have to live in a shared store, and the only shared store here is this same database, so the key
/// would sit next to the ciphertext and protect nothing. Protect the database instead (access, encryption at
/// rest); the session id never leaves it in a token, a log, a transcript or an agent's view, and the Aria
/// session itself expires on Aria's schedule.
/// </remarks>
public sealed class StorageSessionBindings(IStorage storage, IOptionsMonitor<SessionBindingOptions> options, TimeProvider timeProvider) : ISessionBindings
{
    internal const string ConversationPrefix = "session-bindings/c/";
    internal const string UserPrefix = "session-bindings/u/";

    /// <summary>
    /// <c>session-bindings/a/{account}/{binding key path}</c>: the account's bindings, written in the same write as the
    /// binding, so ending an account's sessions reads one prefix instead of the table. Kept until the binding's absolute
    /// end (a sliding binding never outlives it); an entry whose binding went or changed account is skipped by readers.
    /// </summary>
    internal const string AccountPrefix = "session-bindings/a/";

    // Each conflict means someone else wrote this very binding meanwhile; a few rounds settle it or show it changed hands.
    private const int MaxRecordAttempts = 3;

    // Activity is written at most this often: the sliding lifetime is hours, so a minute's precision costs nothing
    // and spares a store write on every turn of a busy conversation.
    private static readonly TimeSpan ActivityPrecision = TimeSpan.FromMinutes(1);

    public async Task<SessionBinding?> GetAsync(BindingKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var stored = await storage.ReadAsync<SessionBinding>(ConversationKey(key), cancellationToken).ConfigureAwait(false);
        if (stored is not null && stored.Value.Ingress is not null)
        {
            // The store's own expiry says the same; this also holds where the store's clock lags the host's.
            return stored.Value.Ingress == key.Ingress && ExpiryOf(stored.Value) > timeProvider.GetUtcNow() ? stored.Value : null;
        }
        return await ClaimUserRegistrationAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public Task BindAsync(BindingKey key, SessionBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Ingress != key.Ingress)
        {
            throw new ArgumentException("A binding must record the ingress of the key it is stored under.", nameof(binding));
        }
        return storage.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [ConversationKey(key)] = new(System.Text.Json.JsonSerializer.SerializeToElement(binding, StateJson.Options), StoreWrite.AnyETag, ExpiryOf(binding)),
            [AccountIndexKey(binding.AccountNo, key)] = IndexEntry(key, binding),
        }, cancellationToken);
    }

    public Task RemoveAsync(BindingKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.DeleteAsync(ConversationKey(key), cancellationToken);
    }

    public async Task<bool> RecordExtendedAsync(BindingKey key, [SecretData] string ariaSessionId, DateTimeOffset extendedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(ariaSessionId);
        var storageKey = ConversationKey(key);
        for (var attempt = 0; attempt < MaxRecordAttempts; attempt++)
        {
            var stored = await storage.ReadAsync<SessionBinding>(storageKey, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Value.Ingress != key.Ingress || !string.Equals(stored.Value.AriaSessionId, ariaSessionId, StringComparison.Ordinal))
            {
                return false;
            }
            if (stored.Value.ExtendedAt >= extendedAt)
            {
                return true;
            }
            try
            {
                // The expiry stays the binding's own (sliding with the customer's turns, bounded from BoundAt):
                // extending Aria's session does not make a binding outlive the bound it was given.
                await storage.WriteAsync(storageKey, stored.Value.WithExtendedAt(extendedAt), stored.ETag, ExpiryOf(stored.Value), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException)
            {
                // Another turn or instance changed the binding between our read and our write: read what it is now.
            }
        }
        return false;
    }

    public async Task<bool> RecordActivityAsync(BindingKey key, [SecretData] string ariaSessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(ariaSessionId);
        var storageKey = ConversationKey(key);
        for (var attempt = 0; attempt < MaxRecordAttempts; attempt++)
        {
            var stored = await storage.ReadAsync<SessionBinding>(storageKey, cancellationToken).ConfigureAwait(false);
            if (stored is null || !string.Equals(stored.Value.AriaSessionId, ariaSessionId, StringComparison.Ordinal) || ExpiryOf(stored.Value) <= at)
            {
                return false;
            }
            var binding = stored.Value;
            if (at - (binding.ActiveAt ?? binding.BoundAt) < ActivityPrecision)
            {
                return true;
            }
            binding.ActiveAt = at;
            try
            {
                await storage.WriteAsync(storageKey, binding, stored.ETag, ExpiryOf(binding), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException)
            {
                // Another turn or instance changed the binding between our read and our write: read what it is now.
            }
        }
        return false;
    }

    public Task RegisterForUserAsync(string channelId, string userId, SessionBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Ingress is null)
        {
            throw new ArgumentException("A registration must record the ingress its user's turns will come through.", nameof(binding));
        }
        var expires = timeProvider.GetUtcNow() + options.CurrentValue.PortalBindingLifetime;
        return storage.WriteAsync(UserKey(channelId, userId), binding, StoreWrite.AnyETag, expires, cancellationToken);
    }

    private async Task<SessionBinding?> ClaimUserRegistrationAsync(BindingKey key, CancellationToken cancellationToken)
    {
        if (RegistrationKeyFor(key) is not { } userKey)
        {
            return null;
        }
        var registered = await storage.ReadAsync<SessionBinding>(userKey, cancellationToken).ConfigureAwait(false);
        // Only a turn through the ingress the portal registered for (Azure's: the Bot Connector) may claim it; a
        // registration stored without an ingress is never claimed.
        if (registered is null || registered.Value.Ingress is null || registered.Value.Ingress != key.Ingress)
        {
            return null;
        }
        // Claim it: the conditional delete-by-rewrite makes two simultaneous first turns agree on one winner.
        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreWrite>
            {
                [userKey] = new(System.Text.Json.JsonSerializer.SerializeToElement(new { claimed = true }), registered.ETag, timeProvider.GetUtcNow()),
                [ConversationKey(key)] = new(System.Text.Json.JsonSerializer.SerializeToElement(registered.Value, StateJson.Options), StoreWrite.AnyETag, ExpiryOf(registered.Value)),
                [AccountIndexKey(registered.Value.AccountNo, key)] = IndexEntry(key, registered.Value),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            var now = await storage.ReadAsync<SessionBinding>(ConversationKey(key), cancellationToken).ConfigureAwait(false);
            return now?.Value.Ingress == key.Ingress ? now.Value : null;
        }
        await storage.DeleteAsync(userKey, cancellationToken).ConfigureAwait(false);
        return registered.Value;
    }

    /// <summary>Sliding from the last turn (or the binding), bounded by the absolute lifetime from the binding.</summary>
    private DateTimeOffset ExpiryOf(SessionBinding binding)
    {
        var settings = options.CurrentValue;
        var sliding = (binding.ActiveAt ?? binding.BoundAt) + settings.BindingLifetime;
        var absolute = binding.BoundAt + settings.AbsoluteBindingLifetime;
        return sliding < absolute ? sliding : absolute;
    }

    internal static string ConversationKey(BindingKey key) => ConversationPrefix + key.StoragePath;

    /// <summary>The prefix under which <paramref name="accountNo"/>'s bindings are indexed.</summary>
    public static string AccountIndexPrefix(long accountNo) => AccountPrefix + accountNo.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/";

    internal static string AccountIndexKey(long accountNo, BindingKey key) => AccountIndexPrefix(accountNo) + key.StoragePath;

    /// <summary>An index entry names the binding's storage key only (no session id).</summary>
    private StoreWrite IndexEntry(BindingKey key, SessionBinding binding) =>
        new(System.Text.Json.JsonSerializer.SerializeToElement(new AccountIndexEntry(ConversationKey(key)), StateJson.Options), StoreWrite.AnyETag,
            binding.BoundAt + options.CurrentValue.AbsoluteBindingLifetime);

    /// <summary>
    /// The per-user registration a turn of <paramref name="key"/> looks for when its conversation has no binding (named for
    /// the turn's read-ahead too); null when none can exist: only web chat users with token-embedded ids are ever
    /// registered this way (the endpoint enforces <c>dl_</c>).
    /// </summary>
    internal static string? RegistrationKeyFor(BindingKey key) =>
        key.ChannelId is (Channels.DirectLine or Channels.Webchat) && key.UserId.StartsWith("dl_", StringComparison.Ordinal) ? UserKey(key.ChannelId, key.UserId) : null;

    internal static string UserKey(string channelId, string userId) => $"{UserPrefix}{BindingKey.Escape(channelId)}/{BindingKey.Escape(userId)}";
}

/// <summary>One entry of the by-account index: the storage key of a binding of that account.</summary>
public sealed record AccountIndexEntry(string BindingKey);
