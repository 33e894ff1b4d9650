using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Web;

/// <summary>
/// The server side of a portal login: the encrypted cookie names a record here (<c>portal-logins/{sha256(id)}</c>),
/// and a cookie whose record is gone is no login. Signing out deletes the record, so a copy of the cookie taken
/// before (another tab, a stolen cookie) is refused afterwards; without it a cookie would stay good until it expired.
/// The record holds no secret (only when it started); the id itself is stored hashed, as it is a bearer value.
/// </summary>
public sealed class PortalLoginSessions(IStorage storage, TimeProvider timeProvider, IOptions<WebOptions> options)
{
    /// <summary>The claim of the portal cookie that names the record.</summary>
    public const string ClaimType = "aria:login_session";

    private const string Prefix = "portal-logins/";

    /// <summary>Starts a login; returns the id the cookie carries.</summary>
    public async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = timeProvider.GetUtcNow();
        await storage.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [Key(id)] = new(JsonSerializer.SerializeToElement(new Record(now), StateJson.Options), ETag: null, now + options.Value.PortalLoginLifetime),
        }, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Whether the login <paramref name="id"/> is still on. Like the cookie's own sliding expiry, a login used after
    /// half its lifetime is renewed for another <see cref="WebOptions.PortalLoginLifetime"/>.
    /// </summary>
    public async Task<bool> IsActiveAsync(string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }
        var key = Key(id);
        var items = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        if (!items.TryGetValue(key, out var item))
        {
            return false;
        }
        var now = timeProvider.GetUtcNow();
        var lifetime = options.Value.PortalLoginLifetime;
        if (item.ExpiresAt is { } expiresAt && expiresAt - now < lifetime / 2)
        {
            try
            {
                // Under the eTag read: a sign-out meanwhile (the record deleted) is never undone by a renewal.
                await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(item.Document, item.ETag, now + lifetime) }, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                return (await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false)).ContainsKey(key);
            }
        }
        return true;
    }

    /// <summary>Ends the login <paramref name="id"/>: every copy of its cookie is refused from now on.</summary>
    public Task EndAsync(string? id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id) ? Task.CompletedTask : storage.DeleteAsync([Key(id)], cancellationToken);

    private static string Key(string id) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private sealed record Record(DateTimeOffset StartedAt);
}
