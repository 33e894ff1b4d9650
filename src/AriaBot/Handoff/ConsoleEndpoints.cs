using System.Text;
using System.Text.Json;
using AriaBot.Understanding;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// The agents' console API under <c>/agent/api</c>. Every call but the antiforgery token and the sign-in needs the
/// agent policy (a session of the agent scheme with the <see cref="HandoffOptions.AgentRole"/> role claim): 401
/// without a session, 403 without the role. Every POST must come from the console's own origin and carry the
/// antiforgery token; answers are never cached. After a case is accepted only the agent who took it reads or posts in
/// it, whatever id another agent crafts; each read of a transcript is audited. No answer carries the session binding.
/// </summary>
public static class ConsoleEndpoints
{
    public const string ApiPath = "/agent/api";

    public sealed record SignInBody(string? Login, string? Password);

    public sealed record MessageBody(string? Text);

    public sealed record HandBackBody(string? UseCase);

    public static WebApplication MapAgentConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup(ApiPath).AddEndpointFilter(NoStore);
        api.MapGet("/antiforgery", AntiforgeryAsync);
        api.MapPost("/login", LoginAsync).AddEndpointFilter(PostGuard);
        api.MapGet(AgentOpenIdConnect.LoginPath, AgentOpenIdConnect.Challenge);

        var agent = api.MapGroup("").RequireAuthorization(AgentSignIn.Policy);
        agent.MapPost("/logout", LogoutAsync).AddEndpointFilter(PostGuard);
        agent.MapGet("/me", (HttpContext context, HandoffDesk desk) => AgentSignIn.AgentOf(context.User) is { } me
            ? Results.Json(new { me.DisplayName, UseCases = desk.HandBackChoices() })
            : Results.Unauthorized());
        agent.MapGet("/queue", QueueAsync);
        agent.MapGet("/history", HistoryAsync);
        agent.MapGet("/handoffs/{id}", CaseAsync);
        agent.MapPost("/handoffs/{id}/accept", AcceptAsync).AddEndpointFilter(PostGuard);
        agent.MapPost("/handoffs/{id}/messages", PostMessageAsync).AddEndpointFilter(PostGuard);
        agent.MapPost("/handoffs/{id}/end", EndAsync).AddEndpointFilter(PostGuard);
        agent.MapPost("/handoffs/{id}/handback", HandBackAsync).AddEndpointFilter(PostGuard);
        agent.MapGet("/events", ConsoleEvents.StreamAsync);
        return app;
    }

    /// <summary>
    /// The antiforgery token (bound to who is signed in, so the console asks again after signing in), and whether
    /// this browser already has an agent's session: the page learns it without a 401 in its console.
    /// </summary>
    private static async Task<IResult> AntiforgeryAsync(HttpContext context, IAntiforgery antiforgery, IOptionsMonitor<HandoffOptions> options)
    {
        var agent = await context.AuthenticateAsync(AgentSignIn.Scheme);
        if (agent.Succeeded)
        {
            context.User = agent.Principal;
        }
        var tokens = antiforgery.GetAndStoreTokens(context);
        var signedIn = agent.Succeeded && context.User.HasClaim(AgentSignIn.RoleClaim, options.CurrentValue.AgentRole);
        var settings = options.CurrentValue;
        return Results.Json(new
        {
            token = tokens.RequestToken,
            headerName = tokens.HeaderName,
            formFieldName = tokens.FormFieldName,
            signedIn,
            passwords = settings.Agents.Count > 0,
            openIdConnect = settings.OpenIdConnect.IsConfigured ? settings.OpenIdConnect.ButtonText : null,
        });
    }

    private static async Task<IResult> LoginAsync(HttpContext context, SignInBody? body, AgentSignIn signIn)
    {
        var result = await signIn.SignInAsync(context, body?.Login, body?.Password, context.RequestAborted);
        return result switch
        {
            AgentSignInResult.SignedIn => Results.NoContent(),
            AgentSignInResult.WrongCredentials => Results.Json(new { error = "The login or the password is wrong." }, statusCode: StatusCodes.Status401Unauthorized),
            AgentSignInResult.LockedOut => Results.Json(new { error = "Too many failed sign-ins: this login is locked for a while." }, statusCode: StatusCodes.Status423Locked),
            _ => Results.Json(new { error = "Too many sign-in attempts from here; wait a few minutes." }, statusCode: StatusCodes.Status429TooManyRequests),
        };
    }

    /// <summary>
    /// Ends the console's session; for an agent who came through OpenID Connect, also answers where to end the
    /// provider's session (<c>{"endSession": url}</c>, which the page navigates to), when the provider offers that.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, AgentSignIn signIn)
    {
        var ended = await signIn.SignOutAsync(context, context.RequestAborted);
        return await AgentOpenIdConnect.EndSessionUrlAsync(context, ended) is { } endSession
            ? Results.Json(new { endSession })
            : Results.NoContent();
    }

    private static async Task<IResult> QueueAsync(HttpContext context, HandoffStore store, TimeProvider timeProvider) =>
        AgentSignIn.AgentOf(context.User) is { } me
            ? Results.Json(await QueueItemsAsync(store, me, timeProvider, context.RequestAborted))
            : Results.Unauthorized();

    /// <summary>What the queue shows an agent: the waiting cases and their own; another agent's accepted case is not listed.</summary>
    internal static async Task<List<object>> QueueItemsAsync(HandoffStore store, AgentIdentity me, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var cases = await store.ListAsync(open: true, closed: false, limit: 2000, cancellationToken);
        return [.. cases.Where(handoff => HandoffDesk.CanRead(handoff, me)).Select(handoff => (object)new
        {
            handoff.Id,
            State = handoff.State.ToString(),
            Channel = handoff.ChannelId,
            Reason = handoff.Reason.ToString(),
            handoff.RequestedAt,
            WaitedSeconds = (long)handoff.Waited(now).TotalSeconds,
            Mine = handoff.AgentId == me.Id,
            Context = handoff.Context,
            MessageCount = handoff.Messages.Count,
        })];
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, HandoffStore store, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        var cases = await store.ListAsync(open: false, closed: true, limit: 2000, context.RequestAborted);
        return Results.Json(cases.OrderByDescending(handoff => handoff.RequestedAt).Take(200).Select(handoff => new
        {
            handoff.Id,
            Outcome = handoff.State.ToString(),
            Channel = handoff.ChannelId,
            Reason = handoff.Reason.ToString(),
            Agent = handoff.AgentName,
            handoff.RequestedAt,
            handoff.AcceptedAt,
            handoff.EndedAt,
            WaitedSeconds = (long)handoff.Waited(now).TotalSeconds,
            handoff.CallBackMessage,
        }));
    }

    private static async Task<IResult> CaseAsync(string id, HttpContext context, HandoffStore store)
    {
        if (AgentSignIn.AgentOf(context.User) is not { } me)
        {
            return Results.Unauthorized();
        }
        var handoff = await store.GetAsync(id, context.RequestAborted);
        if (handoff is null)
        {
            return Results.Json(new { error = "No such handoff." }, statusCode: StatusCodes.Status404NotFound);
        }
        if (!HandoffDesk.CanRead(handoff, me))
        {
            return Results.Json(new { error = "Another agent has this conversation." }, statusCode: StatusCodes.Status403Forbidden);
        }
        await store.AuditViewAsync(handoff.Id, me.Id, context.RequestAborted);
        return Results.Json(new
        {
            handoff.Id,
            State = handoff.State.ToString(),
            Channel = handoff.ChannelId,
            Reason = handoff.Reason.ToString(),
            handoff.RequestedAt,
            handoff.AcceptedAt,
            Agent = handoff.AgentName,
            Mine = handoff.AgentId == me.Id,
            handoff.Context,
            handoff.Transcript,
            handoff.Messages,
        });
    }

    private static async Task<IResult> AcceptAsync(string id, HttpContext context, HandoffDesk desk)
    {
        if (AgentSignIn.AgentOf(context.User) is not { } me)
        {
            return Results.Unauthorized();
        }
        var (outcome, _) = await desk.AcceptAsync(id, me, context.RequestAborted);
        return Answer(outcome, "Another agent accepted this conversation first.");
    }

    private static async Task<IResult> PostMessageAsync(string id, HttpContext context, MessageBody? body, HandoffDesk desk) =>
        AgentSignIn.AgentOf(context.User) is { } me
            ? Answer(await desk.PostAsync(id, me, body?.Text, context.RequestAborted), "Another agent has this conversation.", "Write a message of 1 to 2000 characters.")
            : Results.Unauthorized();

    private static async Task<IResult> EndAsync(string id, HttpContext context, HandoffDesk desk) =>
        AgentSignIn.AgentOf(context.User) is { } me
            ? Answer(await desk.EndAsync(id, me, handBack: null, context.RequestAborted), "Another agent has this conversation.")
            : Results.Unauthorized();

    private static async Task<IResult> HandBackAsync(string id, HttpContext context, HandBackBody? body, HandoffDesk desk)
    {
        if (AgentSignIn.AgentOf(context.User) is not { } me)
        {
            return Results.Unauthorized();
        }
        if (!Enum.TryParse<Intent>(body?.UseCase, ignoreCase: true, out var intent) || !Enum.IsDefined(intent) || int.TryParse(body?.UseCase, out _))
        {
            return Results.Json(new { error = "Name a use case to hand back into, e.g. \"SwitchPlan\"." }, statusCode: StatusCodes.Status400BadRequest);
        }
        return Answer(await desk.EndAsync(id, me, intent, context.RequestAborted), "Another agent has this conversation.", "That use case is not available in the chat.");
    }

    private static IResult Answer(DeskOutcome outcome, string forbidden, string invalid = "That request is not valid.") => outcome switch
    {
        DeskOutcome.Done => Results.NoContent(),
        DeskOutcome.NotFound => Results.Json(new { error = "No such handoff." }, statusCode: StatusCodes.Status404NotFound),
        DeskOutcome.Forbidden => Results.Json(new { error = forbidden }, statusCode: StatusCodes.Status403Forbidden),
        DeskOutcome.Conflict => Results.Json(new { error = "The conversation is not in a state that allows this (waiting, or already ended)." }, statusCode: StatusCodes.Status409Conflict),
        _ => Results.Json(new { error = invalid }, statusCode: StatusCodes.Status400BadRequest),
    };

    /// <summary>The browser says where a request comes from (<c>Sec-Fetch-Site</c>, or <c>Origin</c>); neither, or another site, is refused.</summary>
    internal static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 0)
        {
            return site.ToString() == "same-origin";
        }
        var origin = request.Headers.Origin;
        return origin.Count > 0 && string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static async ValueTask<object?> PostGuard(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsSameOrigin(http.Request))
        {
            return Results.Json(new { error = "Cross-origin requests are refused." }, statusCode: StatusCodes.Status403Forbidden);
        }
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Json(new { error = "The page's security token is missing or stale; reload the console." }, statusCode: StatusCodes.Status400BadRequest);
        }
        return await next(context);
    }

    private static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }
}

/// <summary>
/// The live queue as server-sent events: the agent's queue each time it changes, read from the state store every
/// <see cref="HandoffOptions.QueuePollInterval"/> (so every instance sees every change). Only the console's own
/// origin may open it.
/// </summary>
internal static class ConsoleEvents
{
    public static async Task StreamAsync(HttpContext context, HandoffStore store, IOptionsMonitor<HandoffOptions> options, TimeProvider timeProvider)
    {
        if (!ConsoleEndpoints.IsSameOrigin(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { error = "Cross-origin requests are refused." });
            return;
        }
        if (AgentSignIn.AgentOf(context.User) is not { } me)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        var cancellationToken = context.RequestAborted;
        string? last = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var items = await ConsoleEndpoints.QueueItemsAsync(store, me, timeProvider, cancellationToken);
                // Compared without the wait times, which change every second; the page counts those itself.
                var fingerprint = JsonSerializer.Serialize(items.Select(item => JsonSerializer.SerializeToElement(item)).Select(item => new
                {
                    id = item.GetProperty("Id").GetString(),
                    state = item.GetProperty("State").GetString(),
                    count = item.GetProperty("MessageCount").GetInt32(),
                }));
                if (fingerprint != last)
                {
                    last = fingerprint;
                    var data = JsonSerializer.Serialize(items, JsonSerializerOptions.Web);
                    await context.Response.WriteAsync($"event: queue\ndata: {data}\n\n", Encoding.UTF8, cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                }
                await Task.Delay(options.CurrentValue.QueuePollInterval, timeProvider, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The console closed the stream.
        }
    }
}
