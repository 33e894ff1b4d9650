using System.Security.Cryptography;
using System.Text;
using AriaBot.Escalation;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>Registers the handoff and maps the console and the hub's status endpoint.</summary>
public static class HandoffServiceCollectionExtensions
{
    public const string HubStatusPath = "/handoff/hub/status";

    /// <summary>
    /// The handoff services. <see cref="IEscalation"/> becomes <see cref="HandoffEscalation"/>, which itself answers
    /// with the support contact whenever no live handoff is possible (switched off, no agents, a group chat).
    /// Call before anything registers <see cref="IEscalation"/> with TryAdd.
    /// </summary>
    public static IServiceCollection AddHandoff(this IServiceCollection services)
    {
        services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HandoffStore>();
        services.AddSingleton<HandoffRelay>();
        services.AddSingleton<HandoffDesk>();
        services.AddSingleton<AgentSignIn>();
        services.TryAddSingleton<SupportContactEscalation>();
        services.AddSingleton<IEscalation, HandoffEscalation>();
        // After the privacy and transcript middleware (registered before this): it sees the redacted, recorded message.
        services.AddSingleton<BotRuntime.Builder.IMiddleware, HandoffMiddleware>();
        // A message held back as a possible code shows in an open case as a placeholder, never its text.
        services.AddSingleton<Privacy.IWithheldMessageObserver, HandoffWithheldLines>();
        services.AddSingleton<WaitingSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<WaitingSweep>());

        services.AddAuthentication().AddCookie(AgentSignIn.Scheme, AgentSignIn.Configure);
        // Beside the passwords when Handoff:OpenIdConnect is set; signs into the same cookie scheme.
        services.AddAgentOpenIdConnect();
        services.AddOptions<CookieAuthenticationOptions>(AgentSignIn.Scheme)
            .Configure<IOptions<HandoffOptions>>((cookie, handoff) => cookie.ExpireTimeSpan = handoff.Value.SessionTimeout);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<HandoffOptions>>((authorization, handoff) =>
            authorization.AddPolicy(AgentSignIn.Policy, policy => policy
                .AddAuthenticationSchemes(AgentSignIn.Scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(AgentSignIn.RoleClaim, handoff.Value.AgentRole)));
        return services;
    }

    public static WebApplication MapHandoff(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAgentConsole();
        app.MapBackChannelLogout();
        app.MapPost(HubStatusPath, HubStatusAsync);
        return app;
    }

    /// <summary>
    /// External mode: the hub's <c>handoff.status</c> (<c>{type:"event", name:"handoff.status", channelId,
    /// conversation:{id}, value:{state}}</c>) with <c>Authorization: Bearer {Handoff:HubSecret}</c>. The only door
    /// through which a status changes a handoff: the same event inside a customer's turn is dropped.
    /// </summary>
    private static async Task<IResult> HubStatusAsync(HttpContext context, IOptionsMonitor<HandoffOptions> options, HandoffDesk desk)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled || settings.Mode != HandoffMode.External || settings.HubSecret is null)
        {
            return Results.NotFound();
        }
        var presented = context.Request.Headers.Authorization.ToString();
        var expected = "Bearer " + settings.HubSecret;
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return Results.Json(new { error = "The hub's credentials are missing or wrong." }, statusCode: StatusCodes.Status401Unauthorized);
        }
        Activity? activity;
        try
        {
            activity = await context.Request.ReadFromJsonAsync<Activity>(BotJson.Options, context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            activity = null;
        }
        if (activity is null || !activity.IsType(ActivityTypes.Event) || activity.Name != HandoffEvents.StatusName
            || string.IsNullOrEmpty(activity.ChannelId) || string.IsNullOrEmpty(activity.Conversation?.Id) || HandoffEvents.StateOf(activity) is not { } state)
        {
            return Results.Json(new { error = "Send a handoff.status event with channelId, conversation.id and value.state." }, statusCode: StatusCodes.Status400BadRequest);
        }
        return await desk.HubStatusAsync(activity.ConversationKey, state, context.RequestAborted) switch
        {
            DeskOutcome.Done => Results.Ok(),
            DeskOutcome.NotFound => Results.Json(new { error = "No open handoff in that conversation." }, statusCode: StatusCodes.Status404NotFound),
            DeskOutcome.Invalid => Results.Json(new { error = "value.state must be accepted, completed or failed." }, statusCode: StatusCodes.Status400BadRequest),
            _ => Results.Json(new { error = "The handoff is already in that state or ended." }, statusCode: StatusCodes.Status409Conflict),
        };
    }
}
