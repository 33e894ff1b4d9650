using System.Net;
using System.Text;
using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// A turn on <c>/api/messages</c> never asks for the request's services (issue 22: resolving the handler per request made
/// ASP.NET create, lock and dispose a service scope for every turn), and still answers, redeliveries and refusals alike.
/// </summary>
public sealed class RequestScopeTests
{
    [Fact]
    public async Task A_turn_and_its_redelivery_never_reach_for_request_services()
    {
        var bot = new RecordingBot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["State:Provider"] = "Memory" });
        builder.Logging.ClearProviders();
        builder.Services.AddBotRuntime(builder.Configuration);
        builder.Services.AddSingleton<BotRuntime.Builder.IBot>(bot);
        await using var app = builder.Build();
        var asked = 0;
        app.Use(async (context, next) =>
        {
            // What ASP.NET would make on first use: a scope of the application's services, disposed with the response.
            var services = new RequestServicesFeature(context, app.Services.GetRequiredService<IServiceScopeFactory>());
            context.Response.RegisterForDisposeAsync(services);
            context.Features.Set<IServiceProvidersFeature>(new Counting(services, () => Interlocked.Increment(ref asked)));
            await next(context);
        });
        app.MapBotRuntime();
        await app.StartAsync();
        var client = app.GetTestClient();
        var body = JsonSerializer.Serialize(BotTestHost.Message("hi"), BotJson.Options);

        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("echo: hi #1", Assert.Single(await BotTestHost.RepliesAsync(response)).Text);
        }

        Assert.Equal(0, asked);
        Assert.Equal(1, bot.Turns);
        Assert.Same(app.Services.GetRequiredService<BotMessagesHandler>(), app.Services.GetRequiredService<BotMessagesHandler>());
        // A refusal still writes its problem details (which do use the request's services).
        var refused = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.True(asked > 0);
        await app.StopAsync();
    }

    private sealed class Counting(IServiceProvidersFeature inner, Action asked) : IServiceProvidersFeature
    {
        public IServiceProvider RequestServices
        {
            get
            {
                asked();
                return inner.RequestServices;
            }
            set => inner.RequestServices = value;
        }
    }
}
