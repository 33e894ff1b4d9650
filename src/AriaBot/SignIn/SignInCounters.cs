using System.Security.Cryptography;
using System.Text;
using BotRuntime.State;

namespace AriaBot.SignIn;

/// <summary>
/// Fixed-window counters in <see cref="IStorage"/> (so a limit holds across instances): a window opens at the first
/// hit and the counter expires with it. Updates are eTag-checked, so concurrent hits are never lost.
/// Keys: <c>signin/limits/{kind}/{subject}</c>.
/// </summary>
internal sealed class SignInCounters(IStorage storage, TimeProvider timeProvider)
{
    private const int MaxConflictRetries = 8;

    internal sealed class Counter
    {
        public int Count { get; set; }

        public DateTimeOffset WindowEndsAt { get; set; }
    }

    /// <summary>Counts one hit unless the limit is reached; false (nothing counted) when it is.</summary>
    public Task<bool> TryTakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken) =>
        UpdateAsync(key, limit, window, countWhenFull: false, cancellationToken);

    /// <summary>Counts one hit (a failure), whatever the count.</summary>
    public Task AddAsync(string key, TimeSpan window, CancellationToken cancellationToken) =>
        UpdateAsync(key, int.MaxValue, window, countWhenFull: true, cancellationToken);

    /// <summary>True when the window's count has reached <paramref name="limit"/>.</summary>
    public async Task<bool> IsLimitedAsync(string key, int limit, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
        return stored is not null && stored.Value.WindowEndsAt > timeProvider.GetUtcNow() && stored.Value.Count >= limit;
    }

    /// <summary>How long until the window of <paramref name="key"/> ends (for Retry-After); zero when none is open.</summary>
    public async Task<TimeSpan> RetryAfterAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
        var left = stored is null ? TimeSpan.Zero : stored.Value.WindowEndsAt - timeProvider.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task<bool> UpdateAsync(string key, int limit, TimeSpan window, bool countWhenFull, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var stored = await storage.ReadAsync<Counter>(key, cancellationToken).ConfigureAwait(false);
            var open = stored is not null && stored.Value.WindowEndsAt > now;
            var counter = open ? stored!.Value : new Counter { Count = 0, WindowEndsAt = now + window };
            if (counter.Count >= limit && !countWhenFull)
            {
                return false;
            }
            counter.Count++;
            try
            {
                // Under the eTag read (or create-only when there was none), so a concurrent hit is never overwritten.
                await storage.WriteAsync(key, counter, stored?.ETag, counter.WindowEndsAt, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StorageConflictException) when (attempt < MaxConflictRetries)
            {
                // Someone else counted first: read again and recount.
            }
        }
    }

    public static string UserIdKey(string userId) =>
        // Hashed: a typed user id may be a password typed into the wrong field; it must not sit in storage in clear.
        "signin/limits/user/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId.Trim().ToUpperInvariant())));

    public static string LinksKey(Session.BindingKey key) => "signin/limits/links/" + key.ConversationPath;

    public static string CodesKey(Session.BindingKey key) => "signin/limits/codes/" + key.ConversationPath;
}
