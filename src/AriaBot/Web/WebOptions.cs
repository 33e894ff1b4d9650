using System.ComponentModel.DataAnnotations;

namespace AriaBot.Web;

/// <summary>The customer page at <c>/</c> and its server side under <c>/portal</c> (configuration section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// Who may show the page in a frame (CSP <c>frame-ancestors</c>): http(s) origins such as
    /// <c>https://portal.example.com</c>, or <c>'self'</c>. Default none, which sends <c>frame-ancestors 'none'</c>:
    /// a page with account data that anyone can frame invites clickjacking.
    /// </summary>
    public List<string> FrameAncestors { get; set; } = [];

    /// <summary>
    /// The demo portal sign-in (pick a demo account, no password). Default: on exactly when the Aria sandbox is
    /// on (Development with <c>Aria:UseSandbox=true</c>), off otherwise. Setting it to true anywhere else stops
    /// start-up: it would let anyone act as any customer of a real Aria.
    /// </summary>
    public bool? DemoPortal { get; set; }

    /// <summary>How long a demo portal sign-in lasts without use (sliding). Default 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan PortalLoginLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Chat tokens one client address may get from <c>POST /portal/chat-token</c> per minute (each one opens a
    /// conversation in the state store). Default 30.
    /// </summary>
    [Range(1, 10_000)]
    public int ChatTokensPerMinute { get; set; } = 30;

    /// <summary>
    /// <c>Strict-Transport-Security</c> max-age sent on every HTTPS response (not to loopback hosts, so a developer's
    /// https://localhost is not pinned). Default 365 days; zero sends none. The bot's pages carry account data and its
    /// cookies: once a customer has reached it over HTTPS, the browser must never try plain HTTP again. Behind a proxy that
    /// terminates TLS (App Service), set <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> so the request counts as HTTPS.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "730.00:00:00")]
    public TimeSpan StrictTransportSecurityMaxAge { get; set; } = TimeSpan.FromDays(365);
}
