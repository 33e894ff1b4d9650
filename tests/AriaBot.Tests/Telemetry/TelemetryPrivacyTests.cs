using System.Net;
using System.Text.Json;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using static AriaBot.Tests.DirectLineHttp;
using Chat = AriaBot.Tests.Privacy.DirectLineEchoRedactionTests;

namespace AriaBot.Tests.Telemetry;

/// <summary>
/// Invariant 4 for telemetry: a whole sign-in and plan switch over Direct Line, with spans, metrics and logs exported
/// to memory the way OTLP would get them. Every secret the flow handled — the Direct Line secret and token (in the
/// <c>Authorization</c> header and the stream's <c>t=</c>), the sign-in link and its <c>state=</c>, the password in the
/// form body, the antiforgery token, the one-time code, Aria's <c>auth_key</c> and session id — is absent from all of
/// it, while the spans and metrics the operators need are there.
/// </summary>
public sealed class TelemetryPrivacyTests
{
    private const string DirectLine = "/v3/directline";
    private const string UserId = "dl_telemetry-test";
    private const string Password = "alice-demo-1";
    private const string AuthKey = "sandbox-demo-auth-key-7000100";

    [Fact]
    public async Task Sign_in_and_plan_switch_leave_spans_and_metrics_without_a_single_secret()
    {
        var capture = new TelemetryCapture();
        await using var host = new AssistantTestHost(services: capture.Register);

        var generated = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, new { user = new { id = UserId, name = "Ana" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        var started = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var streamUrl = (await Json(started)).GetProperty("streamUrl").GetString()!;
        Assert.Contains("t=", streamUrl, StringComparison.Ordinal);
        // The stream is opened with its token in the query string, as Web Chat does.
        using (var socket = await host.WebSocketClient().ConnectAsync(new Uri(streamUrl), CancellationToken.None))
        {
            Assert.NotNull(socket);
        }

        await Chat.PostAsync(host, token, conversationId, "sign in");
        var link = SignInLink(await Chat.ReadAllAsync(host, token, conversationId));
        var state = AssistantTestHost.StateOf(link);
        Assert.NotEmpty(state);
        var form = await AssistantTestHost.GetAsync(host.Client, link);
        var antiforgery = form.Token!;
        var page = await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", Password));
        var code = page.Code!;
        Assert.Contains("you're signed in", await Chat.ConverseAsync(host, token, conversationId, $"{code[..3]} {code[3..]}"), StringComparison.Ordinal);
        var binding = await host.Bindings.GetAsync(new BindingKey(Channels.DirectLine, conversationId, UserId, TurnIngress.DirectLine));
        var sessionId = binding!.AriaSessionId;

        await Chat.ConverseAsync(host, token, conversationId, "switch my plan");
        Assert.Contains("billing system says", await Chat.ConverseAsync(host, token, conversationId, "Premium"), StringComparison.Ordinal);
        Assert.Contains("You're now on Premium", await Chat.ConverseAsync(host, token, conversationId, "yes"), StringComparison.Ordinal);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        // What operators need is there: a span per turn, per Aria call (with its name and error code) and per storage call.
        Assert.Contains(capture.Spans, span => span.StartsWith("AriaBot.Runtime|bot.turn|", StringComparison.Ordinal));
        Assert.Contains(capture.Spans, span => span.StartsWith("AriaBot.Aria|aria replace_acct_plan_m|", StringComparison.Ordinal)
            && span.Contains("aria.rest_call=replace_acct_plan_m", StringComparison.Ordinal) && span.Contains("aria.error_code=0", StringComparison.Ordinal));
        Assert.Contains(capture.Spans, span => span.StartsWith("AriaBot.Runtime|storage write|", StringComparison.Ordinal));
        Assert.Contains(capture.Spans, span => span.Contains("http.route=", StringComparison.Ordinal));
        foreach (var metric in new[] { "ariabot.turns", "ariabot.turn.duration", "ariabot.aria.calls", "ariabot.aria.duration", "ariabot.storage.calls", "ariabot.writes" })
        {
            Assert.True(capture.MetricNames.ContainsKey(metric), $"metric {metric} was not exported");
        }
        Assert.NotEmpty(capture.Logs);

        var everything = capture.Everything();
        foreach (var (what, secret) in new[]
        {
            ("the Direct Line secret", AssistantTestHost.DirectLineSecret),
            ("the Direct Line token", token),
            ("the stream URL's query", new Uri(streamUrl).Query.TrimStart('?')),
            ("the sign-in link", link.ToString()),
            ("the sign-in state", state),
            ("the password", Password),
            ("the antiforgery token", antiforgery),
            ("the sign-in code", code),
            ("Aria's auth_key", AuthKey),
            ("the Aria session id", sessionId),
        })
        {
            Assert.False(everything.Contains(secret, StringComparison.Ordinal), $"telemetry holds {what}");
        }
        // No query string, header or body is recorded under any name.
        Assert.DoesNotContain("url.query", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("url.full", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("http.request.header", everything, StringComparison.Ordinal);
    }

    private static Uri SignInLink(JsonElement activities)
    {
        var card = activities.EnumerateArray().Last(a => a.TryGetProperty("attachments", out _)).GetProperty("attachments")[0];
        return new Uri(card.GetProperty("content").GetProperty("buttons")[0].GetProperty("value").GetString()!);
    }
}
