using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AriaBot.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on a free loopback port, for the stand-ins of what the bot calls over HTTP (a Bot Connector
/// channel, Slack's Web API, an identity provider): the bot's real HTTP clients, handlers and retries run against it,
/// and nothing leaves the machine. Its own logging is off so a test's log assertions see only the bot's.
/// (Also compiled into BotRuntime.Tests, whose stand-ins are built the same way.)
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:{port}</c>, without a trailing slash.</summary>
    public string Origin => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Starts a server whose endpoints <paramref name="map"/> adds; <paramref name="slim"/> for the slim builder.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map, bool slim = false)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = slim ? WebApplication.CreateSlimBuilder() : WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LoopbackServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
