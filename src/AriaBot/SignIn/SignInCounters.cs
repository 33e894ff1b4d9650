using System.Net;
using System.Security.Cryptography;
using System.Text;
using BotRuntime.State;

namespace AriaBot.SignIn;

/// <summary>
/// Fixed-window counters in <see cref="IStorage"/> (so a limit holds across instances): a window opens at the first
/// hit and the counter expires with it. Updates are eTag-checked, so concurrent hits are never lost, and a hit is
/// counted before the work it guards (a reservation), so concurrent attempts cannot all pass one check.
/// Keys: <c>signin/limits/{kind}/{subject}</c>.
/// </summary>
internal sealed class SignInCounters(IStorage storage, TimeProvider timeProvider)
{
    // Each conflict means another hit on the same counter was stored first, so every round someone makes progress;
    // a burst of N concurrent hits settles in at most N rounds. Past this many, the hit is refused (fail closed).
    private const int MaxConflictRetries = 64;

    internal sealed class Counter
    {
        public int Count { get; set; }

        public DateTimeOffset WindowEndsAt { get; set; }
    }

    /// <summary>
    /// Reserves one slot unless the limit is reached; false (nothing counted) when it is, or when the counter is so
    /// contended that the hit could not be stored.
    /// </summary>
    public async Task<bool> TryTakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        try
        {
            return await UpdateAsync(key, window, counter => counter.Count < limit ? counter.Count + 1 : null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives back a slot <see cref="TryTakeAsync"/> reserved (the attempt turned out not to count). Nothing happens
    /// when the window has ended meanwhile; a give-back that cannot be stored leaves the slot taken (fail closed).
    /// </summary>
    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateAsync(key, window: null, counter => counter.Count > 0 ? counter.Count - 1 : null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Too contended: the slot stays taken until the window ends, which errs on the side of the limit.
        }
    }

    /// <summary>
    /// Counts one request of a secure page from a client address (<see cref="AddressKey"/>), the limit every page has
    /// against guessing: null when it may go on, else how long until the window ends (for Retry-After).
    /// </summary>
    public async Task<TimeSpan?> TakeFromAddressAsync(string area, IPAddress? address, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var key = AddressKey(area, address);
        if (await TryTakeAsync(key, limit, window, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return await RetryAfterAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long until the window of <paramref name="key"/> ends (for Retry-After); zero when none is open.</summary>
    public async Task<TimeSpan> RetryAfterAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
        var left = stored is null ? TimeSpan.Zero : stored.Value.WindowEndsAt - timeProvider.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <param name="window">The window a new counter opens with; null: no counter is opened (a give-back needs one).</param>
    /// <param name="next">The new count from the current one, or null to change nothing.</param>
    /// <returns>True when the new count was stored.</returns>
    private async Task<bool> UpdateAsync(string key, TimeSpan? window, Func<Counter, int?> next, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
            var open = stored is not null && stored.Value.WindowEndsAt > now;
            if (!open && window is null)
            {
                return false;
            }
            var counter = open ? stored!.Value : new Counter { Count = 0, WindowEndsAt = now + window!.Value };
            if (next(counter) is not { } count)
            {
                return false;
            }
            counter.Count = count;
            try
            {
                // Under the eTag read (or create-only when there was none), so a concurrent hit is never overwritten.
                await storage.WriteAsync(key, counter, stored?.ETag, counter.WindowEndsAt, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException) when (attempt < MaxConflictRetries)
            {
                // Someone else counted first: read again and recount. Yield so the winner's turn can finish.
                await Task.Yield();
            }
        }
    }

    public static string UserIdKey(string userId) =>
        // Hashed: a typed user id may be a password typed into the wrong field; it must not sit in storage in clear.
        "signin/limits/user/" + Sha256(userId.Trim().ToUpperInvariant());

    /// <summary>Sign-in posts per client address.</summary>
    public static string IpKey(IPAddress? address) => AddressKey("signin", address);

    /// <summary>
    /// <c>{area}/limits/ip/{hash}</c>: a page's counter per client address, hashed so the store holds no list of
    /// customers' addresses; an IPv4 client seen through a dual-stack socket counts as itself.
    /// </summary>
    public static string AddressKey(string area, IPAddress? address) =>
        area + "/limits/ip/" + Sha256(address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());

    public static string LinksKey(Session.BindingKey key) => "signin/limits/links/" + key.ConversationPath;

    public static string CodesKey(Session.BindingKey key) => "signin/limits/codes/" + key.ConversationPath;

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
