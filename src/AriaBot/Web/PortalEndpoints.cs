using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.SandboxHost;
using AriaBot.Session;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Authentication;

namespace AriaBot.Web;

/// <summary>
/// The server side of the customer page, under <c>/portal</c>. It never takes a user or account id from the browser:
/// the customer is whoever the portal cookie names, and only the demo sign-in (sandbox only) can set it.
/// </summary>
public static partial class PortalEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var portal = endpoints.MapGroup("/portal");
        portal.MapGet("/me", MeAsync);
        // The demo sign-in exists only with the sandbox (Development); elsewhere its paths fall to the 404 below.
        if (endpoints.ServiceProvider.GetRequiredService<DemoPortal>().Enabled)
        {
            portal.MapGet("/demo-accounts", DemoAccounts);
            portal.MapPost("/demo-sign-in", DemoSignInAsync).AddEndpointFilter(SameOrigin.Filter);
        }
        portal.MapPost("/sign-out", EndPortalLoginAsync).AddEndpointFilter(SameOrigin.Filter);
        portal.MapPost("/chat-token", ChatTokenAsync).AddEndpointFilter(SameOrigin.Filter).AddEndpointFilter(ChatTokenLimiter.Filter);
        portal.MapPost("/chat-resume", ChatResumeAsync).AddEndpointFilter(SameOrigin.Filter).AddEndpointFilter(ChatTokenLimiter.Filter);
        // Anything else under /portal is a plain 404 (with the portal's headers), never a static file or a page.
        portal.Map("/{**rest}", () => Results.NotFound());
    }

    /// <summary>What the page shows in its header and account panel; no secrets, and nothing the browser can change.</summary>
    internal static async Task<IResult> MeAsync(HttpContext context, DemoPortal demo, IAriaClient aria, ILoggerFactory loggers)
    {
        var login = await PortalLogin.ReadAsync(context);
        if (login is null)
        {
            return Results.Json(new PortalMe(demo.Enabled, false, null));
        }
        var cancel = context.RequestAborted;
        var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = login.AcctNo, IncludeMasterPlans = 1, IncludePaymentMethods = 1 }, cancel);
        var plans = await aria.GetAcctPlansAsync(new GetAcctPlansMRequest { AcctNo = login.AcctNo }, cancel);
        if (!details.IsSuccess || !plans.IsSuccess)
        {
            LogAccountUnavailable(loggers.CreateLogger(typeof(PortalEndpoints)), (details.Error ?? plans.Error)!.ToString());
            return Results.Json(new PortalMe(demo.Enabled, true, new PortalCustomer { UserId = login.UserId, Unavailable = true }));
        }
        var account = details.Value;
        var card = account.PaymentMethodsInfo?.FirstOrDefault(m => m.Suffix is not null);
        return Results.Json(new PortalMe(demo.Enabled, true, new PortalCustomer
        {
            UserId = login.UserId,
            FirstName = account.FirstName,
            LastName = account.LastName,
            AcctNo = login.AcctNo,
            Balance = account.AcctBalance,
            Currency = account.AcctCurrency,
            PaymentMethod = card is null ? null : $"{card.CcType ?? card.PayMethodName} •••• {card.Suffix}",
            // Cancelled instances (negative status) are history, not what the customer has.
            Plans = [.. (plans.Value.AcctPlansM ?? [])
                .Where(p => p.PlanInstanceStatusCd is null or >= 0)
                .OrderBy(p => p.SuppPlanInd == 1)
                .Select(p => new PortalPlan(p.PlanName, p.SuppPlanInd == 1, p.PlanUnits, p.NextBillDate, p.PlanInstanceStatusLabel))],
        }));
    }

    /// <summary>The demo accounts the picker offers (mapped only in Development with the sandbox).</summary>
    internal static IResult DemoAccounts(DevelopmentSandbox sandbox) =>
        Results.Json(sandbox.DemoAccounts().Select(a => new PortalDemoAccount(a.UserId, a.Name, a.AcctNo, a.Description)));

    /// <summary>Signs the browser in as one demo customer (mapped only in Development with the sandbox).</summary>
    internal static async Task<IResult> DemoSignInAsync(HttpContext context, IServiceProvider services)
    {
        DemoSignInRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<DemoSignInRequest>(context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            request = null;
        }
        // Only an account from the sandbox's own list: the browser picks, the server decides what exists.
        var account = services.GetRequiredService<DevelopmentSandbox>().DemoAccounts()
            .FirstOrDefault(a => string.Equals(a.UserId, request?.UserId, StringComparison.OrdinalIgnoreCase));
        if (account is null)
        {
            return Results.BadRequest(new { error = "userId must be one of /portal/demo-accounts" });
        }
        var loginSession = await services.GetRequiredService<PortalLoginSessions>().StartAsync(context.RequestAborted);
        await context.SignInAsync(PortalLogin.Scheme, PortalLogin.For(account.UserId, account.AcctNo).ToPrincipal(loginSession));
        return Results.NoContent();
    }

    /// <summary>Signs the browser out and ends the Aria sessions its chats were bound to, so no chat token outlives the login.</summary>
    internal static async Task<IResult> EndPortalLoginAsync(HttpContext context, PortalChatSessions chatSessions)
    {
        if (await PortalLogin.ReadAsync(context) is { } login)
        {
            await chatSessions.EndAllAsync(login.ChatUserId, context.RequestAborted);
        }
        await context.SignOutAsync(PortalLogin.Scheme);
        return Results.NoContent();
    }

    /// <summary>
    /// A Direct Line token for the page's chat. Signed in: an Aria session for the portal's customer
    /// (<c>set_session_m</c>: the portal already knows who this is, so no password) handed to the bot's session
    /// binding sink as <c>{"ariaSessionId": …}</c>; the session id goes no further, the token carries only an opaque
    /// binding id. Signed out: a token with no binding, and the bot offers its sign-in link.
    /// </summary>
    internal static async Task<IResult> ChatTokenAsync(HttpContext context, DirectLineTokenService tokens, IPortalChatTokens portalTokens, IAriaClient aria, PortalChatSessions chatSessions, ILoggerFactory loggers)
    {
        var cancel = context.RequestAborted;
        var login = await PortalLogin.ReadAsync(context);
        DirectLineTokenResult result;
        if (login is null)
        {
            result = await tokens.GenerateAsync(null, cancel);
        }
        else
        {
            var session = await aria.SetSessionAsync(new SetSessionMRequest { UserId = login.UserId }, cancel);
            if (!session.IsSuccess || string.IsNullOrEmpty(session.Value.SessionId))
            {
                LogSessionFailed(loggers.CreateLogger(typeof(PortalEndpoints)), session.Error?.ToString() ?? "no session id");
                return Results.Json(Error("AriaUnavailable", "Your account cannot be reached right now; please try again in a moment."), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            // Remembered before it is bound: a sign-out racing this request still finds it and ends it.
            await chatSessions.RememberAsync(login.ChatUserId, session.Value.SessionId, cancel);
            // The sign-in feature's binding sink validates the session with Aria and binds it to this conversation.
            result = await portalTokens.CreateAsync(session.Value.SessionId, new PortalChatTokenOptions { UserId = login.ChatUserId }, cancel);
            if (result.Response?.ConversationId is { } conversationId)
            {
                await chatSessions.RememberConversationAsync(login.ChatUserId, conversationId, cancel);
            }
        }
        return result.Succeeded ? Results.Json(result.Response) : Results.Json(result.Error, statusCode: result.StatusCode);
    }

    /// <summary>
    /// After a reload the page asks to rejoin the conversation its tab kept (<c>{"token": …}</c> from sessionStorage).
    /// 200 <c>{conversationId, token, expires_in}</c> with a fresh token for that same conversation, or 204 when there
    /// is nothing to rejoin — the token expired, the conversation is gone, or it is not this portal login's — and the
    /// page opens a new conversation. 204 rather than an error status because a refusal is an expected outcome (a
    /// sign-out, a login as someone else), not a failure the browser should report.
    /// </summary>
    internal static async Task<IResult> ChatResumeAsync(HttpContext context, DirectLineTokenService tokens)
    {
        ChatResumeRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<ChatResumeRequest>(context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            request = null;
        }
        if (string.IsNullOrEmpty(request?.Token))
        {
            return Results.BadRequest(new { error = "token is required" });
        }
        var login = await PortalLogin.ReadAsync(context);
        var result = await tokens.ResumeAsync(request.Token, claims => BelongsTo(claims, login), context.RequestAborted);
        return result.Succeeded ? Results.Json(result.Response) : Results.NoContent();
    }

    /// <summary>
    /// Whether a chat token is the current portal login's. Signed in, the chat user id is chosen once per sign-in
    /// (<see cref="PortalLogin.ChatUserId"/>) and every token it gets is bound to that customer's Aria session: a
    /// token of an earlier sign-in, of another customer or from before the sign-in is not this login's, even in the
    /// same tab. Signed out, only an unbound conversation may be rejoined, never one bound to a login that has
    /// since ended.
    /// </summary>
    internal static bool BelongsTo(DirectLineTokenClaims claims, PortalLogin? login) =>
        login is null
            ? claims.BindingId is null
            : claims.BindingId is not null && string.Equals(claims.UserId, login.ChatUserId, StringComparison.Ordinal);

    private static ErrorResponse Error(string code, string message) => new() { Error = new Error { Code = code, Message = message } };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal: the account summary could not be read from Aria ({Reason})")]
    private static partial void LogAccountUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal: no Aria session for the chat token ({Reason})")]
    private static partial void LogSessionFailed(ILogger logger, string reason);

    private sealed record DemoSignInRequest(string? UserId);

    private sealed record ChatResumeRequest(string? Token);
}

internal sealed record PortalMe(bool DemoPortal, bool SignedIn, PortalCustomer? Customer);

internal sealed class PortalCustomer
{
    public required string UserId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public long? AcctNo { get; init; }
    public decimal? Balance { get; init; }
    public string? Currency { get; init; }
    public string? PaymentMethod { get; init; }
    public IReadOnlyList<PortalPlan> Plans { get; init; } = [];

    /// <summary>Signed in, but Aria could not be read: the page says so instead of showing stale or empty data.</summary>
    public bool Unavailable { get; init; }
}

internal sealed record PortalPlan(string? Name, bool AddOn, long? Units, string? NextBillDate, string? Status);

internal sealed record PortalDemoAccount(string UserId, string Name, long AcctNo, string Description);
