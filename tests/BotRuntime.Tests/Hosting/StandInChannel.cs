using System.Collections.Concurrent;
using System.Text.Json;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Tests.Hosting;

/// <summary>A real HTTP server on loopback that plays a Bot Connector channel's reply endpoints.</summary>
internal sealed class StandInChannel : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>One request as it arrived; <c>Path</c> is the raw, still-escaped request target.</summary>
    public sealed record Received(string Method, string Path, string? Authorization, Activity? Activity);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Status codes to answer before answering normally (for retry tests).</summary>
    public ConcurrentQueue<int> FailFirst { get; } = new();

    private StandInChannel(WebApplication app) => _app = app;

    public Uri ServiceUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static async Task<StandInChannel> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var channel = new StandInChannel(app);
        app.Map("/v3/conversations/{**rest}", async (HttpContext context) =>
        {
            Activity? activity = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                activity = await JsonSerializer.DeserializeAsync<Activity>(context.Request.Body, BotJson.Options);
            }
            channel.Requests.Enqueue(new Received(context.Request.Method, context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, activity));
            if (channel.FailFirst.TryDequeue(out var status))
            {
                context.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(status);
            }
            return Results.Json(new ResourceResponse($"sent-{channel.Requests.Count}"));
        });
        await app.StartAsync();
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
