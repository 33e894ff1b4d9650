using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>One message the bot sent: its text, and its attachments as JSON text (cards), for checking.</summary>
internal sealed record Reply(string Type, string? Text, string Attachments)
{
    public bool Says(string expected) =>
        (Text?.Contains(expected, StringComparison.Ordinal) ?? false) || Attachments.Contains(expected, StringComparison.Ordinal);

    public static List<Reply> From(JsonElement activities) =>
        activities.ValueKind != JsonValueKind.Array ? [] : activities.EnumerateArray().Select(activity => new Reply(
            activity.TryGetProperty("type", out var type) ? type.GetString() ?? string.Empty : string.Empty,
            activity.TryGetProperty("text", out var text) ? text.GetString() : null,
            activity.TryGetProperty("attachments", out var attachments) ? attachments.GetRawText() : string.Empty)).ToList();

    public static string Show(IEnumerable<Reply> replies) =>
        JsonSerializer.Serialize(replies.Select(reply => reply.Text ?? $"({reply.Type}{(reply.Attachments.Length > 2 ? " + card" : string.Empty)})"));
}

/// <summary>One chat user in one conversation, over some ingress: send a line, get the bot's replies to it.</summary>
internal interface IChat
{
    /// <summary>Sends the text; the replies to it, or throws <see cref="BenchException"/> when the transport failed.</summary>
    Task<List<Reply>> SayAsync(string text, CancellationToken cancellationToken);
}

/// <summary>A failure of the transport or of the bot (a 4xx/5xx, a reply that never came): always an error.</summary>
internal sealed class BenchException(string message) : Exception(message);

/// <summary><c>POST /api/messages</c> with <c>deliveryMode: expectReplies</c>: the replies come back in the response.</summary>
internal sealed class ExpectRepliesChat(HttpClient client, Uri baseUrl, string conversationId, string userId) : IChat
{
    private readonly Uri _url = new(baseUrl, "/api/messages");
    private int _sequence;

    public async Task<List<Reply>> SayAsync(string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["type"] = "message",
            ["id"] = $"{conversationId}-{Interlocked.Increment(ref _sequence)}",
            ["channelId"] = "test",
            ["serviceUrl"] = "http://127.0.0.1:9/",
            ["text"] = text,
            ["locale"] = "en-US",
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["from"] = new JsonObject { ["id"] = userId },
            ["recipient"] = new JsonObject { ["id"] = "bot" },
            ["deliveryMode"] = "expectReplies",
        };
        using var response = await client.PostAsJsonAsync(_url, body, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"HTTP {(int)response.StatusCode} {content[..Math.Min(200, content.Length)]}");
        }
        using var document = JsonDocument.Parse(content);
        return document.RootElement.TryGetProperty("activities", out var activities) ? Reply.From(activities) : [];
    }
}

/// <summary>
/// Our Direct Line 3.0 (<c>/v3/directline</c>) as Web Chat without a WebSocket uses it: a token from the secret, the
/// conversation started, then for each line a POST of the activity and GETs from the watermark until the bot's replies
/// to it have arrived (the post waits for the turn, so the first GET normally has them). The time measured is the
/// customer's: post to reply read.
/// </summary>
internal sealed class DirectLineChat : IChat
{
    private readonly HttpClient _client;
    private readonly Uri _base;
    private readonly string _conversationId;
    private readonly AuthenticationHeaderValue _token;
    private string _watermark = string.Empty;
    private int _sequence;

    private DirectLineChat(HttpClient client, Uri baseUrl, string conversationId, string token)
    {
        _client = client;
        _base = new Uri(baseUrl, "/v3/directline/");
        _conversationId = conversationId;
        _token = new AuthenticationHeaderValue("Bearer", token);
    }

    public static async Task<DirectLineChat> StartAsync(HttpClient client, Uri baseUrl, string secret, string userId, CancellationToken cancellationToken)
    {
        using var generate = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/v3/directline/tokens/generate"))
        {
            Content = JsonContent.Create(new JsonObject { ["user"] = new JsonObject { ["id"] = "dl_" + userId } }),
        };
        generate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var token = await SendJsonAsync(client, generate, cancellationToken).ConfigureAwait(false);
        var chat = new DirectLineChat(client, baseUrl, token.GetProperty("conversationId").GetString()!, token.GetProperty("token").GetString()!);
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(chat._base, "conversations"));
        start.Headers.Authorization = chat._token;
        await SendJsonAsync(client, start, cancellationToken).ConfigureAwait(false);
        // The greeting (conversationUpdate) is not part of any flow: read past it.
        await chat.ReadAsync(null, cancellationToken).ConfigureAwait(false);
        return chat;
    }

    public async Task<List<Reply>> SayAsync(string text, CancellationToken cancellationToken)
    {
        var clientId = $"b-{Interlocked.Increment(ref _sequence)}";
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, $"conversations/{_conversationId}/activities"))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["type"] = "message",
                ["text"] = text,
                ["locale"] = "en-US",
                ["from"] = new JsonObject { ["id"] = "ignored" },
                ["channelData"] = new JsonObject { ["clientActivityID"] = clientId },
            }),
        };
        post.Headers.Authorization = _token;
        await SendJsonAsync(_client, post, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(clientId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads from the watermark until, after our own echo, a bot message has arrived and nothing more is pending
    /// (the turn's last reply). A turn's replies can land over several polls; a short back-off keeps polling cheap.
    /// </summary>
    private async Task<List<Reply>> ReadAsync(string? clientId, CancellationToken cancellationToken)
    {
        var replies = new List<Reply>();
        var seenEcho = clientId is null;
        var delay = 2;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, $"conversations/{_conversationId}/activities?watermark={_watermark}"));
            get.Headers.Authorization = _token;
            var set = await SendJsonAsync(_client, get, cancellationToken).ConfigureAwait(false);
            _watermark = set.TryGetProperty("watermark", out var watermark) ? watermark.GetString() ?? _watermark : _watermark;
            foreach (var activity in set.GetProperty("activities").EnumerateArray())
            {
                var fromUser = activity.TryGetProperty("from", out var from) && from.TryGetProperty("role", out var role) && role.GetString() == "user";
                if (fromUser)
                {
                    seenEcho |= activity.TryGetProperty("channelData", out var data) && data.TryGetProperty("clientActivityID", out var id) && id.GetString() == clientId;
                    continue;
                }
                if (seenEcho)
                {
                    replies.AddRange(Reply.From(JsonSerializer.SerializeToElement(new[] { activity })));
                }
            }
            // The bot's last activity of a turn is a message or a card (a typing indicator may come before it).
            if (seenEcho && replies.Count > 0 && replies[^1].Type == "message")
            {
                return replies;
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 50);
        }
        throw new BenchException($"Direct Line: no reply to \"{clientId}\" after 200 reads (got {Reply.Show(replies)})");
    }

    private static async Task<JsonElement> SendJsonAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"Direct Line {request.Method} {request.RequestUri?.AbsolutePath}: HTTP {(int)response.StatusCode} {content[..Math.Min(200, content.Length)]}");
        }
        using var document = JsonDocument.Parse(content.Length == 0 ? "{}" : content);
        return document.RootElement.Clone();
    }
}
