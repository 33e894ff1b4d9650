using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;

namespace AriaBot.Session;

/// <summary>Who the chat user is in the portal's web chat, and where the page is served from.</summary>
public sealed class PortalChatTokenOptions
{
    /// <summary>A <c>dl_</c> user id the portal chooses (e.g. <c>dl_</c> + a random id per page load); default: the bot picks one.</summary>
    public string? UserId { get; init; }

    /// <summary>The customer's display name in the chat.</summary>
    public string? UserName { get; init; }

    /// <summary>Browser origins allowed to use the token (the portal's own origin), e.g. <c>https://portal.example.com</c>.</summary>
    public IReadOnlyList<string>? TrustedOrigins { get; init; }
}

/// <summary>
/// For a page served by this same host (the customer web page): a Direct Line token for a new conversation that is
/// already bound to the customer's Aria session, without a round trip over HTTP and without the Direct Line secret
/// ever reaching the page. The browser gets only the token; the session id stays on the server.
/// </summary>
public interface IPortalChatTokens
{
    /// <summary>
    /// The same as the portal's server calling <c>POST /v3/directline/tokens/generate</c> with
    /// <c>binding: {"ariaSessionId": …}</c>: 200 with <c>{conversationId, token, expires_in}</c>, or 400
    /// <c>BindingRejected</c> when Aria says the session is invalid or expired.
    /// </summary>
    Task<DirectLineTokenResult> CreateAsync(string ariaSessionId, PortalChatTokenOptions? options = null, CancellationToken cancellationToken = default);
}

public sealed class PortalChatTokens(DirectLineTokenService tokens) : IPortalChatTokens
{
    public Task<DirectLineTokenResult> CreateAsync(string ariaSessionId, PortalChatTokenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ariaSessionId);
        var parameters = new DirectLineTokenParameters
        {
            User = options?.UserId is null && options?.UserName is null ? null : new ChannelAccount { Id = options.UserId, Name = options.UserName },
            TrustedOrigins = options?.TrustedOrigins?.ToList(),
            Binding = JsonSerializer.SerializeToElement(new Dictionary<string, string> { [AriaSessionBindingSink.SessionIdField] = ariaSessionId }),
        };
        return tokens.GenerateAsync(parameters, cancellationToken);
    }
}
