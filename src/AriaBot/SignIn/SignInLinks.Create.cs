using System.Security.Cryptography;
using AriaBot.Session;
using BotRuntime.State;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AriaBot.SignIn;

/// <summary>A sign-in link for the chat. <see cref="Url"/> carries the single-use state: a secret, never logged.</summary>
public sealed record SignInLink(Uri Url, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"SignInLink {{ ExpiresAt = {ExpiresAt:O} }}";
}

public enum LinkCreationStatus
{
    Created,

    /// <summary>Too many links for this conversation lately (<see cref="SignInRateLimits.LinksPerConversation"/>).</summary>
    RateLimited,
}

public sealed record LinkCreation(LinkCreationStatus Status, SignInLink? Link = null);

/// <summary>Where a chat user's sign-in stands, seen from the chat.</summary>
public enum PendingSignInStatus
{
    /// <summary>No sign-in in progress (never started, finished, burned, or forgotten after expiry).</summary>
    None,

    /// <summary>The link is live; the customer has not signed in on the page yet.</summary>
    WaitingForPage,

    /// <summary>The link expired before anyone signed in with it.</summary>
    LinkExpired,

    /// <summary>The page showed a code; it can be typed now.</summary>
    WaitingForCode,

    /// <summary>The code was not typed in time.</summary>
    CodeExpired,
}

// The chat's link: made for one chat user, asked about while the dialog waits, abandoned on cancel.
// The class and its storage: SignInLinks.cs.
public sealed partial class SignInLinks
{
    /// <summary>
    /// A new link for <paramref name="key"/>, replacing any sign-in in progress for that user (its Aria session,
    /// if the page already opened one, is ended). Limited per conversation.
    /// </summary>
    public Task<LinkCreation> CreateAsync(BindingKey key, string? locale, CancellationToken cancellationToken) => CreateAsync(key, locale, null, cancellationToken);

    /// <param name="reference">The chat that asked, for the page's "forgot password" button (<see cref="ForgotPasswordPage"/>).</param>
    public async Task<LinkCreation> CreateAsync(BindingKey key, string? locale, BotRuntime.Schema.ConversationReference? reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var settings = _options.CurrentValue;
        if (!await _counters.TryTakeAsync(SignInCounters.LinksKey(key), settings.RateLimits.LinksPerConversation, settings.RateLimits.LinksWindow, cancellationToken).ConfigureAwait(false))
        {
            LogLinkRateLimited(_logger);
            return new LinkCreation(LinkCreationStatus.RateLimited);
        }
        await CancelAsync(key, cancellationToken).ConfigureAwait(false);

        var state = LinkState.New();
        var now = _timeProvider.GetUtcNow();
        var record = new SignInLinkRecord
        {
            LinkId = LinkState.Base64Url(RandomNumberGenerator.GetBytes(9)),
            ChannelId = key.ChannelId,
            ConversationId = key.ConversationId,
            UserId = key.UserId,
            Ingress = key.Ingress,
            Locale = locale,
            Reference = reference,
            CreatedAt = now,
            ExpiresAt = now + settings.LinkLifetime,
        };
        var linkKey = LinkKeyOf(state);
        await _storage.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [linkKey] = Write(record, null, record.ExpiresAt + Afterlife),
            [PendingKey(key)] = Write(new PendingSignIn { LinkKey = linkKey, LinkId = record.LinkId }, StoreWrite.AnyETag, record.ExpiresAt + settings.CodeLifetime + Afterlife),
        }, cancellationToken).ConfigureAwait(false);
        LogLinkCreated(_logger, record.LinkId);
        var url = new Uri($"{BaseUrl().TrimEnd('/')}/signin?state={state}");
        return new LinkCreation(LinkCreationStatus.Created, new SignInLink(url, record.ExpiresAt));
    }

    /// <summary>Where <paramref name="key"/>'s sign-in stands; nothing changes.</summary>
    public async Task<PendingSignInStatus> GetStatusAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (_, link) = await ReadPendingAsync(key, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return PendingSignInStatus.None;
        }
        var now = _timeProvider.GetUtcNow();
        var record = link.Value;
        if (!record.IsUsed)
        {
            return now >= record.ExpiresAt ? PendingSignInStatus.LinkExpired : PendingSignInStatus.WaitingForPage;
        }
        return now >= record.CodeExpiresAt ? PendingSignInStatus.CodeExpired : PendingSignInStatus.WaitingForCode;
    }

    /// <summary>Abandons <paramref name="key"/>'s sign-in in progress, ending its Aria session if the page opened one.</summary>
    public async Task CancelAsync(BindingKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (pending, link) = await ReadPendingAsync(key, cancellationToken).ConfigureAwait(false);
        if (pending is not null)
        {
            await ForgetAsync(key, pending.LinkKey, link?.Value.AriaSessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Where links point: <c>SignIn:PublicBaseUrl</c>; in Development without it, <c>DirectLine:PublicBaseUrl</c>,
    /// else the address this host listens on (http://localhost:3978 under <c>dotnet run</c>), else http://localhost.
    /// Start-up requires <c>SignIn:PublicBaseUrl</c> outside Development.
    /// </summary>
    internal string BaseUrl()
    {
        if (_options.CurrentValue.PublicBaseUrl is { } configured)
        {
            return configured.ToString();
        }
        if (_directLineOptions?.CurrentValue.PublicBaseUrl is { Length: > 0 } directLine)
        {
            return directLine;
        }
        var address = _server?.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .FirstOrDefault();
        if (address is not null)
        {
            // Wildcard bindings (http://+:80, http://[::]:80, http://0.0.0.0:80) are reached through localhost locally.
            return address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        }
        return "http://localhost";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId} created")]
    private static partial void LogLinkCreated(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link refused: too many links in this conversation")]
    private static partial void LogLinkRateLimited(ILogger logger);
}
