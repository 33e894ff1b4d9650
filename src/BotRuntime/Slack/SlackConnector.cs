using System.Net;
using System.Text.Json;
using BotRuntime.Connector;
using BotRuntime.Schema;
using Microsoft.Extensions.Logging;
using Refit;

namespace BotRuntime.Slack;

/// <summary>A Web API call Slack refused (<c>{ok:false}</c>, a status other than 200, or rate limited for too long).</summary>
public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Error { get; } = error;
}

/// <summary>
/// Carries one Slack turn's replies: each message rendered in Block Kit (<see cref="SlackBlocks"/>) and posted with
/// <c>chat.postMessage</c> into the turn's channel, in the thread the customer wrote in (or clicked in). Slack's 429 is
/// honoured by waiting its <c>Retry-After</c> (up to <see cref="SlackOptions.MaxRetryAfter"/>) and trying again. Typing
/// and other non-message activities have no Slack equivalent for a bot and are dropped.
/// </summary>
public sealed partial class SlackConnector(ISlackWebApi api, string channel, string? threadTs, SlackOptions options, TimeProvider timeProvider, ILogger logger) : IChannelConnector
{
    public async Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!activity.IsType(ActivityTypes.Message))
        {
            return new ResourceResponse();
        }
        var message = SlackBlocks.Render(activity);
        var answer = await CallAsync("chat.postMessage", token => api.PostMessageAsync(new SlackPostMessage(channel, message.Text, message.Blocks, threadTs), token), cancellationToken).ConfigureAwait(false);
        return new ResourceResponse(answer.TryGetProperty("ts", out var ts) ? ts.GetString() : null);
    }

    public async Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var message = SlackBlocks.Render(activity);
        var ts = activity.Id ?? throw new ArgumentException("An update names the message's ts as its id.", nameof(activity));
        await CallAsync("chat.update", token => api.UpdateMessageAsync(new SlackUpdateMessage(channel, ts, message.Text, message.Blocks), token), cancellationToken).ConfigureAwait(false);
        return new ResourceResponse(ts);
    }

    public async Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.ActivityId is { } ts)
        {
            await CallAsync("chat.delete", token => api.DeleteMessageAsync(new SlackDeleteMessage(channel, ts), token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens (or finds) the direct message with a Slack user: <c>conversations.open</c>; the channel id of the DM.</summary>
    public async Task<string> OpenDirectMessageAsync(string slackUserId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("conversations.open", token => api.OpenConversationAsync(new SlackOpenConversation(slackUserId), token), cancellationToken).ConfigureAwait(false);
        return answer.TryGetProperty("channel", out var opened) && opened.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } dm
            ? dm : throw new SlackApiException("conversations.open", "no channel in the answer");
    }

    /// <summary>Opens the direct message with a Slack user and posts <paramref name="activity"/> there (not into the turn's channel).</summary>
    public async Task<ResourceResponse> SendDirectMessageAsync(string slackUserId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var dm = await OpenDirectMessageAsync(slackUserId, cancellationToken).ConfigureAwait(false);
        var message = SlackBlocks.Render(activity);
        var answer = await CallAsync("chat.postMessage", token => api.PostMessageAsync(new SlackPostMessage(dm, message.Text, message.Blocks, null), token), cancellationToken).ConfigureAwait(false);
        return new ResourceResponse(answer.TryGetProperty("ts", out var ts) ? ts.GetString() : null);
    }

    /// <summary>One Web API call, tried again after each 429 within the limits; the answer's JSON when <c>ok</c>.</summary>
    private async Task<JsonElement> CallAsync(string method, Func<CancellationToken, Task<IApiResponse<JsonElement>>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await call(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = response.Headers?.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                if (attempt >= options.MaxAttempts || wait > options.MaxRetryAfter)
                {
                    LogGaveUp(logger, method, attempt, wait);
                    throw new SlackApiException(method, "rate limited");
                }
                LogRateLimited(logger, method, wait);
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (!response.IsSuccessStatusCode || response.Content.ValueKind != JsonValueKind.Object)
            {
                throw new SlackApiException(method, $"HTTP {(int?)response.StatusCode}");
            }
            var body = response.Content;
            if (!body.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                var error = body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown";
                LogRefused(logger, method, error);
                throw new SlackApiException(method, error);
            }
            return body.Clone();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} rate limited; retrying after {Wait}")]
    private static partial void LogRateLimited(ILogger logger, string method, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} still rate limited after {Attempts} attempts (Retry-After {Wait}); giving up")]
    private static partial void LogGaveUp(ILogger logger, string method, int attempts, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string method, string error);
}
