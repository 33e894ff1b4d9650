using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AriaSandbox.Tests.Events;

/// <summary>
/// A real HTTP receiver on a loopback port (Kestrel), standing in for the bot's <c>/api/aria/events</c>:
/// records every POST, can refuse the first N with 500, and can hold requests until released.
/// </summary>
internal sealed class EventReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _refuse;

    private EventReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>While set, requests wait for it before answering (to show delivery is off the call's path).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public Uri Url { get; private set; } = null!;

    public static async Task<EventReceiver> StartAsync(int refuseFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new EventReceiver(app) { _refuse = refuseFirst };
        app.MapPost("/api/aria/events", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            receiver.Requests.Enqueue(new Received(context.Request.ContentType ?? string.Empty, body));
            if (receiver.Gate is { } gate)
            {
                await gate.Task.WaitAsync(context.RequestAborted);
            }

            return Interlocked.Decrement(ref receiver._refuse) >= 0 ? Results.StatusCode(500) : Results.Text("OK");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/api/aria/events");
        return receiver;
    }

    /// <summary>Polls (real time) until the condition holds; fails the test after 20 seconds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, Action? meanwhile = null)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            meanwhile?.Invoke();
            await Task.Delay(50);
        }

        Assert.True(condition(), "the condition did not hold within 20 seconds");
    }

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        await _app.DisposeAsync();
    }

    internal sealed record Received(string ContentType, string Body);
}
