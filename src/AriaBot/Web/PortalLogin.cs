using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AriaBot.Web;

/// <summary>
/// The demo portal's own sign-in, as a real billing portal would have one: who the customer is, remembered in an
/// encrypted (Data Protection) cookie that scripts cannot read (HttpOnly), that other sites never send
/// (SameSite=Strict) and that goes only over https when the page is https. The chat user id is chosen here, on
/// the server, once per sign-in: the browser never names the user or the account. The cookie names a server-side
/// login record (<see cref="PortalLoginSessions"/>) that sign-out deletes, so no copy of the cookie outlives it.
/// </summary>
public sealed record PortalLogin(string UserId, long AcctNo, string ChatUserId)
{
    public const string Scheme = "AriaBotPortal";
    public const string CookieName = "ariabot-portal";

    private const string AcctNoClaim = "aria:acct_no";
    private const string ChatUserClaim = "aria:chat_user";

    /// <summary>A new sign-in with a fresh <c>dl_</c> chat user id.</summary>
    public static PortalLogin For(string userId, long acctNo) =>
        new(userId, acctNo, "dl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    /// <param name="loginSessionId">The server-side record of this login (<see cref="PortalLoginSessions.StartAsync"/>).</param>
    public ClaimsPrincipal ToPrincipal(string loginSessionId) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, UserId),
            new Claim(AcctNoClaim, AcctNo.ToString(CultureInfo.InvariantCulture)),
            new Claim(ChatUserClaim, ChatUserId),
            new Claim(PortalLoginSessions.ClaimType, loginSessionId),
        ],
        Scheme));

    /// <summary>The signed-in customer, or null (no cookie, an expired one, one this host cannot decrypt, or one whose login was ended).</summary>
    public static async Task<PortalLogin?> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await context.AuthenticateAsync(Scheme);
        var principal = result.Succeeded ? result.Principal : null;
        var userId = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var chatUser = principal?.FindFirstValue(ChatUserClaim);
        return userId is not null && chatUser is not null
            && long.TryParse(principal!.FindFirstValue(AcctNoClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var acctNo)
            ? new PortalLogin(userId, acctNo, chatUser)
            : null;
    }

    internal static void Configure(CookieAuthenticationOptions cookie, WebOptions web)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.IsEssential = true;
        cookie.ExpireTimeSpan = web.PortalLoginLifetime;
        cookie.SlidingExpiration = true;
        // The cookie names a server-side login record: without the record (signed out) the cookie is no login, so
        // a copy of it taken before the sign-out is refused too.
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<PortalLoginSessions>();
            if (!await sessions.IsActiveAsync(context.Principal?.FindFirstValue(PortalLoginSessions.ClaimType), context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
            }
        };
        // Every sign-out ends the login's record, whoever calls it.
        cookie.Events.OnSigningOut = async context =>
        {
            var current = await context.HttpContext.AuthenticateAsync(Scheme);
            var sessions = context.HttpContext.RequestServices.GetRequiredService<PortalLoginSessions>();
            await sessions.EndAsync(current.Principal?.FindFirstValue(PortalLoginSessions.ClaimType), context.HttpContext.RequestAborted);
        };
        // The portal's endpoints answer JSON; nothing here redirects to a login page.
        cookie.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }
}
