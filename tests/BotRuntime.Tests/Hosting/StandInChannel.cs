using System.Collections.Concurrent;
using System.Text.Json;
using AriaBot.Tests.Infrastructure;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotRuntime.Tests.Hosting;

/// <summary>A real HTTP server on loopback that plays a Bot Connector channel's reply endpoints.</summary>
internal sealed class StandInChannel : IAsyncDisposable
{
    private LoopbackServer _server = null!;

    /// <summary>One request as it arrived; <c>Path</c> is the raw, still-escaped request target.</summary>
    public sealed record Received(string Method, string Path, string? Authorization, Activity? Activity);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Status codes to answer before answering normally (for retry tests).</summary>
    public ConcurrentQueue<int> FailFirst { get; } = new();

    private StandInChannel()
    {
    }

    public Uri ServiceUrl => new(_server.Origin + "/");

    public static async Task<StandInChannel> StartAsync()
    {
        var channel = new StandInChannel();
        channel._server = await LoopbackServer.StartAsync(app => app.Map("/v3/conversations/{**rest}", async (HttpContext context) =>
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
        }));
        return channel;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
