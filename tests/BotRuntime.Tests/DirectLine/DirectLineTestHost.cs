using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Tests.DirectLine;

/// <summary>A bot host with Direct Line mapped, on an in-memory server, and helpers that speak the protocol.</summary>
internal sealed class DirectLineTestHost : IAsyncDisposable
{
    public const string Secret = "test-direct-line-secret-0123456789";
    public const string BindingSecret = "test-binding-secret-0123456789";
    public static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    private DirectLineTestHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public HttpClient Client => App.GetTestClient();

    public static async Task<DirectLineTestHost> StartAsync(IBot bot, Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["State:Provider"] = "Memory",
            ["Bot:AllowAnonymous"] = "true",
            ["DirectLine:Secrets:0"] = Secret,
            ["DirectLine:SigningKey"] = SigningKey,
            ["DirectLine:SessionBindingSecret"] = BindingSecret,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        builder.Services.AddBotRuntime(builder.Configuration);
        builder.Services.AddDirectLine();
        builder.Services.AddSingleton(bot);
        var app = builder.Build();
        app.MapBotRuntime();
        app.MapDirectLine();
        await app.StartAsync();
        return new DirectLineTestHost(app);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer, object? body = null, string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, BotJson.Options), Encoding.UTF8, "application/json");
        }
        return await Client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>tokens/generate with the secret, then POST /conversations with the token: (conversationId, token).</summary>
    public async Task<(string ConversationId, string Token, JsonElement Started)> StartConversationAsync(object? parameters = null)
    {
        var generated = await JsonAsync(await SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", Secret, parameters));
        var token = generated.GetProperty("token").GetString()!;
        var response = await SendAsync(HttpMethod.Post, "/v3/directline/conversations", token);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var started = await JsonAsync(response);
        return (started.GetProperty("conversationId").GetString()!, started.GetProperty("token").GetString()!, started);
    }

    public async Task<string> PostAsync(string conversationId, string token, string text, string? clientActivityId = null, string? fromId = null)
    {
        var activity = new Dictionary<string, object?>
        {
            ["type"] = "message",
            ["text"] = text,
            ["from"] = new { id = fromId ?? "someone" },
            ["channelData"] = new { clientActivityID = clientActivityId ?? Guid.NewGuid().ToString("N") },
        };
        var response = await SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities", token, activity);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    public async Task<(List<Activity> Activities, string Watermark)> GetAsync(string conversationId, string token, string? watermark = null)
    {
        var response = await SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{conversationId}/activities" + (watermark is null ? "" : $"?watermark={watermark}"), token);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var set = await JsonAsync(response);
        return (set.GetProperty("activities").Deserialize<List<Activity>>(BotJson.Options)!, set.GetProperty("watermark").GetString()!);
    }

    /// <summary>Polls until <paramref name="predicate"/> holds for the whole log (turns run in the background).</summary>
    public async Task<List<Activity>> WaitForAsync(string conversationId, string token, Func<List<Activity>, bool> predicate)
    {
        for (var i = 0; i < 100; i++)
        {
            var (activities, _) = await GetAsync(conversationId, token);
            if (predicate(activities))
            {
                return activities;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The conversation never reached the expected state.");
    }

    public static JsonElement JwtPayload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>What a Direct Line test needs from a bot: greet, echo who it thinks the user is, type, update.</summary>
internal sealed class DirectLineTestBot : ActivityHandler
{
    public ConcurrentQueue<Activity> Received { get; } = new();

    public ConcurrentQueue<System.Security.Claims.ClaimsIdentity?> Identities { get; } = new();

    public int Messages => Received.Count(activity => activity.IsType(ActivityTypes.Message));

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        Received.Enqueue(turnContext.Activity);
        Identities.Enqueue(turnContext.TurnState.Get<System.Security.Claims.ClaimsIdentity>(ChannelAdapter.IdentityKey));
        await base.OnTurnAsync(turnContext, cancellationToken);
    }

    protected override async Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) =>
        await turnContext.SendActivityAsync($"welcome {membersAdded[0].Id}", cancellationToken: cancellationToken);

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        switch (activity.Text)
        {
            case "typing":
                await turnContext.SendActivityAsync(new Activity { Type = ActivityTypes.Typing }, cancellationToken);
                break;
            case "fail":
                throw new InvalidOperationException("The test bot fails this turn.");
            case "update":
                var sent = await turnContext.SendActivityAsync("draft", cancellationToken: cancellationToken);
                var changed = MessageFactory.Text("final");
                changed.Id = sent!.Id;
                await turnContext.UpdateActivityAsync(changed, cancellationToken);
                return;
        }
        await turnContext.SendActivityAsync($"echo: {activity.Text} from {activity.From?.Id} on {activity.ChannelId}", cancellationToken: cancellationToken);
    }

    protected override async Task OnEventActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        await turnContext.SendActivityAsync($"event {turnContext.Activity.Name}", cancellationToken: cancellationToken);
}

/// <summary>Records bindings; rejects a payload whose session is "expired".</summary>
internal sealed class RecordingBindingSink : ISessionBindingSink
{
    public ConcurrentQueue<SessionBindingRequest> Requests { get; } = new();

    public Task<SessionBindingResult> BindAsync(SessionBindingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.FromResult(request.Payload.TryGetProperty("sessionId", out var session) && session.GetString() == "expired"
            ? SessionBindingResult.Rejected("The session has expired.")
            : SessionBindingResult.Bound);
    }
}
