using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Tests.Hosting;

/// <summary>A bot host on an in-memory server, configured as a test needs, with the runtime's real pipeline.</summary>
internal sealed class BotTestHost : IAsyncDisposable
{
    private BotTestHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public HttpClient Client => App.GetTestClient();

    public static async Task<BotTestHost> StartAsync(IBot bot, string environment = "Development", Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["State:Provider"] = "Memory" });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        builder.Services.AddBotRuntime(builder.Configuration);
        builder.Services.AddSingleton(bot);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapBotRuntime();
        await app.StartAsync();
        return new BotTestHost(app);
    }

    public Task<HttpResponseMessage> PostAsync(object activity) =>
        Client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(JsonSerializer.Serialize(activity, BotJson.Options), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostRawAsync(string body) =>
        Client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<List<Activity>> RepliesAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options))!.Activities;

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static Activity Message(string text, string id = "a1", string conversation = "c1", string deliveryMode = DeliveryModes.ExpectReplies, string? serviceUrl = "https://channel.example.com/") => new()
    {
        Type = ActivityTypes.Message,
        Id = id,
        ChannelId = "test",
        ServiceUrl = serviceUrl,
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = "user-1", Name = "Ana" },
        Recipient = new ChannelAccount { Id = "bot", Name = "Bot" },
        Text = text,
        DeliveryMode = deliveryMode,
    };
}

/// <summary>A bot that records what it saw and does what a test's message asks it to.</summary>
internal sealed class RecordingBot(ILogger<RecordingBot>? logger = null) : ActivityHandler
{
    public ConcurrentQueue<Activity> Received { get; } = new();

    /// <summary>The identity each turn ran with (<see cref="ChannelAdapter.IdentityKey"/>), in order.</summary>
    public ConcurrentQueue<System.Security.Claims.ClaimsIdentity?> Identities { get; } = new();

    /// <summary>Holds a "block" message until the test releases it.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Turns => Received.Count;

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        Received.Enqueue(turnContext.Activity);
        Identities.Enqueue(turnContext.TurnState.Get<System.Security.Claims.ClaimsIdentity>(ChannelAdapter.IdentityKey));
        if (logger is not null)
        {
            RecordingBotLog.Saw(logger, turnContext.Activity.Type);
        }
        await base.OnTurnAsync(turnContext, cancellationToken);
    }

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        switch (turnContext.Activity.Text)
        {
            case "block":
                Entered.TrySetResult();
                await Gate.Task;
                break;
            case "throw":
                throw new InvalidOperationException("boom: this text must never reach the user");
        }
        await turnContext.SendActivityAsync($"echo: {turnContext.Activity.Text} #{Turns}", cancellationToken: cancellationToken);
    }

    protected override async Task OnUnrecognizedActivityTypeAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        await turnContext.SendActivityAsync($"saw {turnContext.Activity.Type}", cancellationToken: cancellationToken);

    protected override Task<InvokeResponse?> OnInvokeActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        Task.FromResult(turnContext.Activity.Name == "known"
            ? new InvokeResponse { Status = 200, Body = JsonSerializer.SerializeToElement(new { ok = true }) }
            : null);
}

internal static partial class RecordingBotLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Bot saw a {Type} activity")]
    public static partial void Saw(ILogger logger, string? type);
}
