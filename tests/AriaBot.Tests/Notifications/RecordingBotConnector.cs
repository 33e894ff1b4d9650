using System.Collections.Concurrent;
using System.Text.Json;
using AriaBot.Tests.Infrastructure;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// A stand-in for a Bot Connector channel (Teams, Slack through Azure) on loopback: records every activity the bot sends
/// to <c>{serviceUrl}/v3/conversations/{id}/activities</c>, and answers <see cref="Status"/> (403 for an app the user
/// uninstalled).
/// </summary>
internal sealed class RecordingBotConnector : IAsyncDisposable
{
    private LoopbackServer _server = null!;

    public sealed record Sent(string Path, Activity Activity, int Status);

    public ConcurrentQueue<Sent> Requests { get; } = new();

    /// <summary>What every send is answered; 200 by default.</summary>
    public int Status { get; set; } = 200;

    public List<Activity> Delivered => [.. Requests.Where(r => r.Status < 300).Select(r => r.Activity)];

    private RecordingBotConnector()
    {
    }

    public string ServiceUrl => _server.Origin + "/";

    public static async Task<RecordingBotConnector> StartAsync()
    {
        var connector = new RecordingBotConnector();
        connector._server = await LoopbackServer.StartAsync(app => app.MapPost("/v3/conversations/{**rest}", async (HttpContext context) =>
        {
            var activity = await JsonSerializer.DeserializeAsync<Activity>(context.Request.Body, BotJson.Options);
            var status = connector.Status;
            connector.Requests.Enqueue(new Sent(context.Request.Path.Value!, activity!, status));
            return status < 300
                ? Results.Json(new ResourceResponse($"sent-{connector.Requests.Count}"))
                : Results.Json(new { error = new { code = "BotNotInConversationRoster", message = "The bot is not part of the conversation roster." } }, statusCode: status);
        }));
        return connector;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
