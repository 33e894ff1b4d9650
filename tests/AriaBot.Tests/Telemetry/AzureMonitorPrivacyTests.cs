using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static AriaBot.Tests.DirectLineHttp;
using Chat = AriaBot.Tests.Privacy.DirectLineEchoRedactionTests;

namespace AriaBot.Tests.Telemetry;

/// <summary>
/// With <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set (as the Azure template sets it) the Azure Monitor exporter is
/// on, and what it actually sends — read at a stand-in ingestion endpoint on loopback — has requests and Aria calls in
/// it but no Direct Line secret or token (header or <c>t=</c>), no sign-in link or <c>state=</c>, no query string.
/// </summary>
public sealed class AzureMonitorPrivacyTests
{
    private const string UserId = "dl_azure-monitor-test";

    [Fact]
    public async Task What_the_Azure_Monitor_exporter_sends_has_the_requests_but_no_secret()
    {
        await using var ingestion = await Ingestion.StartAsync();
        await using var host = new AssistantTestHost(new()
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-0000000000aa;IngestionEndpoint={ingestion.Url}/",
        });

        var generated = await Json(await SendAsync(host, HttpMethod.Post, "/v3/directline/tokens/generate", AssistantTestHost.DirectLineSecret, new { user = new { id = UserId, name = "Ana" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        var started = await SendAsync(host, HttpMethod.Post, "/v3/directline/conversations", token);
        var streamUrl = (await Json(started)).GetProperty("streamUrl").GetString()!;
        using (await host.WebSocketClient().ConnectAsync(new Uri(streamUrl), CancellationToken.None))
        {
        }
        await Chat.PostAsync(host, token, conversationId, "sign in");
        var activities = await Chat.ReadAllAsync(host, token, conversationId);
        var card = activities.EnumerateArray().Last(a => a.TryGetProperty("attachments", out _)).GetProperty("attachments")[0];
        var link = new Uri(card.GetProperty("content").GetProperty("buttons")[0].GetProperty("value").GetString()!);
        var state = AssistantTestHost.StateOf(link);
        await AssistantTestHost.GetAsync(host.Client, link);
        host.Services.GetRequiredService<ILogger<AzureMonitorPrivacyTests>>().LogWarning("A warning the exporter ships");

        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        host.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000);

        // On a loaded machine a transmission can fail and go to the exporter's retry storage: a batch lost that way
        // reaches the stand-in later or not at all. Each further round is one more request of the same route and a
        // flush; what is checked is what was sent, whichever batch carried it.
        var sent = ingestion.Everything();
        for (var round = 0; round < 20 && !(sent.Contains("RequestData", StringComparison.Ordinal) && sent.Contains("/v3/directline/conversations", StringComparison.Ordinal)
            && sent.Contains("A warning the exporter ships", StringComparison.Ordinal)); round++)
        {
            await SendAsync(host, HttpMethod.Post, "/v3/directline/conversations", token);
            host.Services.GetRequiredService<ILogger<AzureMonitorPrivacyTests>>().LogWarning("A warning the exporter ships");
            host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            host.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000);
            await Task.Delay(250);
            sent = ingestion.Everything();
        }
        // It did export: request telemetry for the routes (by template), and the log line.
        Assert.Contains("RequestData", sent, StringComparison.Ordinal);
        Assert.Contains("/v3/directline/conversations", sent, StringComparison.Ordinal);
        Assert.Contains("A warning the exporter ships", sent, StringComparison.Ordinal);
        foreach (var (what, secret) in new[]
        {
            ("the Direct Line secret", AssistantTestHost.DirectLineSecret),
            ("the Direct Line token", token),
            ("the stream URL's query", new Uri(streamUrl).Query.TrimStart('?')),
            ("the sign-in state", state),
            ("the sign-in link", link.ToString()),
            ("Aria's auth_key", "sandbox-demo-auth-key-7000100"),
        })
        {
            Assert.False(sent.Contains(secret, StringComparison.Ordinal), $"Azure Monitor got {what}");
        }
        Assert.DoesNotContain("?t=", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("state=", sent, StringComparison.Ordinal);
    }

    /// <summary>A stand-in for Application Insights' ingestion endpoint: keeps every body it is sent (gzip or not) and accepts it.</summary>
    private sealed class Ingestion : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _bodies = new();

        private Ingestion(WebApplication app) => _app = app;

        public string Url => _app.Urls.Single().TrimEnd('/');

        public static async Task<Ingestion> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var ingestion = new Ingestion(app);
            app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                var body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                    ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
                    : context.Request.Body;
                await body.CopyToAsync(buffer);
                var text = Encoding.UTF8.GetString(buffer.ToArray());
                ingestion._bodies.Enqueue(context.Request.Path + " " + text);
                var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                context.Response.StatusCode = (int)HttpStatusCode.OK;
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() }));
            });
            await app.StartAsync();
            return ingestion;
        }

        public string Everything() => string.Join("\n", _bodies);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
