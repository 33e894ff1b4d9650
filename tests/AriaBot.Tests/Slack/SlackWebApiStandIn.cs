using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AriaBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AriaBot.Tests.Slack;

/// <summary>
/// A local stand-in for Slack's Web API (a small Kestrel app): records every <c>chat.postMessage</c>,
/// <c>chat.update</c> and <c>conversations.open</c> call with its bearer token, answers as Slack does
/// (<c>{ok:true, ts}</c>), and can answer the next post 429 with <c>Retry-After</c>, or hold posts until released.
/// </summary>
internal sealed class SlackWebApiStandIn : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private int _ts;
    private int _rateLimitNext;
    private volatile TaskCompletionSource? _hold;

    public sealed record Call(string Method, JsonObject Body, string? Authorization, int Status);

    private SlackWebApiStandIn()
    {
    }

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>What happened, in order, as the test and the stand-in saw it ("ack", "post", "429"…).</summary>
    public ConcurrentQueue<string> Timeline { get; } = new();

    public Uri BaseUrl => new(_server.Origin + "/api/");

    public IReadOnlyList<JsonObject> Posts => [.. Calls.Where(call => call.Method == "chat.postMessage" && call.Status == 200).Select(call => call.Body)];

    /// <summary>The next <c>chat.postMessage</c> is answered 429 with <c>Retry-After: 1</c>.</summary>
    public void RateLimitNextPost() => Interlocked.Exchange(ref _rateLimitNext, 1);

    /// <summary>Posts wait (unanswered) until <see cref="Release"/>.</summary>
    public void HoldPosts() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    public static async Task<SlackWebApiStandIn> StartAsync()
    {
        var standIn = new SlackWebApiStandIn();
        standIn._server = await LoopbackServer.StartAsync(app => app.MapPost("/api/{method}", standIn.HandleAsync));
        return standIn;
    }

    private async Task<IResult> HandleAsync(HttpContext context, string method)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? [];
        var authorization = context.Request.Headers.Authorization.ToString();
        if (method == "chat.postMessage")
        {
            if (Interlocked.Exchange(ref _rateLimitNext, 0) == 1)
            {
                Calls.Enqueue(new Call(method, body, authorization, 429));
                Timeline.Enqueue("429");
                context.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(429);
            }
            if (_hold is { } hold)
            {
                Timeline.Enqueue("held");
                await hold.Task;
            }
        }
        Calls.Enqueue(new Call(method, body, authorization, 200));
        Timeline.Enqueue(method == "chat.postMessage" ? "post" : method);
        var ts = $"1700000000.{Interlocked.Increment(ref _ts):D6}";
        return method switch
        {
            "conversations.open" => Results.Json(new { ok = true, channel = new { id = "DOPENED1" } }),
            _ => Results.Json(new { ok = true, channel = body["channel"]?.GetValue<string>(), ts }),
        };
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds; the bot's turns run in the background.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out waiting for {what}.");
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _server.DisposeAsync();
    }
}
