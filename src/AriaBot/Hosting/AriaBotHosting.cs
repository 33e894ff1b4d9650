using AriaBot.Echo;
using AriaBot.SignIn;
using AriaBot.Understanding;
using AriaBot.Web;
using Aria.Sandbox;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AriaBot.Hosting;

/// <summary>Everything the assistant's host registers and maps, so Program.cs stays a table of contents.</summary>
public static class AriaBotHosting
{
    public static WebApplicationBuilder AddAriaBot(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddBotRuntime();
        builder.Services.AddDirectLine();
        builder.Services.AddAriaClient(builder.Configuration);
        builder.Services.AddAriaSandbox(builder.Configuration);
        builder.Services.AddHealthChecks().AddAriaReadinessCheck();
        builder.Services.AddLanguage(builder.Configuration);
        // After AddAriaClient (the Aria call ledger joins its HttpClient) and AddDirectLine (the portal binding sink).
        builder.Services.AddSignIn(builder.Configuration);
        builder.Services.AddSingleton<IBot, EchoBot>();
        builder.AddWebPage();
        return builder;
    }

    public static WebApplication MapAriaBot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapBotRuntime();
        app.MapDirectLine();
        app.MapWebPage();
        // Readiness: Aria reachable with this host's IP and credentials (1003 and 1004 told apart).
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapAriaSandbox();
        app.MapSignIn();
        return app;
    }
}
