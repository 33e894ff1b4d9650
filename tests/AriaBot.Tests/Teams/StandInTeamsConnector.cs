using System.Collections.Concurrent;
using System.Text.Json;
using AriaBot.Tests.Infrastructure;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AriaBot.Tests.Teams;

/// <summary>
/// A local stand-in for the Teams connector (Azure Bot Service's <c>smba.trafficmanager.net</c>): a real Kestrel server
/// on loopback that records every reply, update and conversation the bot asks for on <c>{serviceUrl}/v3/conversations</c>,
/// and can answer 429 with <c>Retry-After</c> to the next N requests.
/// </summary>
internal sealed class StandInTeamsConnector : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private int _throttleNext;
    private int _sent;

    /// <summary>One request as it arrived (<c>Path</c> still escaped) and what it was answered.</summary>
    public sealed record Received(string Method, string Path, string? Authorization, Activity? Activity, int Status, string? ResponseId);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>When set, CreateConversation answers 403, as Teams does when the app is not installed for the user.</summary>
    public bool RefuseConversations { get; set; }

    /// <summary>Called whenever a request was answered 429 (a test may move a fake clock past the Retry-After).</summary>
    public Action? Throttled { get; set; }

    private StandInTeamsConnector()
    {
    }

    public string ServiceUrl => _server.Origin + "/";

    /// <summary>Answer the next <paramref name="count"/> POSTs (replies, sends) with 429 and <c>Retry-After: 1</c>.</summary>
    public void ThrottleNext(int count = 1) => Interlocked.Exchange(ref _throttleNext, count);

    /// <summary>Replies and sends the connector accepted (POSTs answered 2xx), in order.</summary>
    public List<Received> Delivered => [.. Requests.Where(r => r.Method == "POST" && r.Status < 300 && r.Activity is not null)];

    public List<Received> Updates => [.. Requests.Where(r => r.Method == "PUT" && r.Status < 300)];

    public static async Task<StandInTeamsConnector> StartAsync()
    {
        var connector = new StandInTeamsConnector();
        connector._server = await LoopbackServer.StartAsync(connector.Map);
        return connector;
    }

    private void Map(WebApplication app)
    {
        var connector = this;
        app.MapPost("/v3/conversations", async (HttpContext context) =>
        {
            var parameters = await JsonSerializer.DeserializeAsync<ConversationParameters>(context.Request.Body, BotJson.Options);
            var path = context.Request.Path.Value!;
            if (connector.RefuseConversations)
            {
                connector.Requests.Enqueue(new Received("POST", path, context.Request.Headers.Authorization.ToString(), null, 403, null));
                return Results.StatusCode(403);
            }
            var id = $"a:1personal-{parameters!.Members![0].Id}";
            connector.Requests.Enqueue(new Received("POST", path, context.Request.Headers.Authorization.ToString(), null, 201, id));
            return Results.Json(new ConversationResourceResponse { Id = id }, statusCode: 201);
        });
        app.Map("/v3/conversations/{**rest}", async (HttpContext context) =>
        {
            Activity? activity = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                activity = await JsonSerializer.DeserializeAsync<Activity>(context.Request.Body, BotJson.Options);
            }
            var path = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            var authorization = context.Request.Headers.Authorization.ToString();
            if (context.Request.Method == "POST" && Interlocked.Decrement(ref connector._throttleNext) >= 0)
            {
                connector.Requests.Enqueue(new Received(context.Request.Method, path, authorization, activity, 429, null));
                context.Response.Headers.RetryAfter = "1";
                connector.Throttled?.Invoke();
                return Results.StatusCode(429);
            }
            if (context.Request.Method == "POST")
            {
                Interlocked.Exchange(ref connector._throttleNext, 0);
            }
            var id = context.Request.Method == "PUT" ? path.Split('/')[^1] : $"teams-{Interlocked.Increment(ref connector._sent)}";
            connector.Requests.Enqueue(new Received(context.Request.Method, path, authorization, activity, 200, id));
            return Results.Json(new ResourceResponse(id));
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
