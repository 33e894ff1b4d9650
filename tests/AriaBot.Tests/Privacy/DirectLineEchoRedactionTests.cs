using BotRuntime.Builder;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Testing;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Privacy;

/// <summary>
/// Invariant 4 (docs/invariants.md) at Direct Line: a card number, a security code, a password and a sign-in code typed into our own
/// web chat are redacted before the echo is stored, so none of them is in the SQLite file, a log line,
/// <c>GET …/activities</c> or a replayed stream — while the turn still reads the code and signs the customer in.
/// </summary>
public sealed class DirectLineEchoRedactionTests : IDisposable
{
    private const string DirectLine = "/v3/directline";
    private const string Card = "4111 1111 1111 1111";
    private const string CardTyped = "my card is " + Card;
    private const string CvvTyped = "my cvv is 737";
    private const string Password = "Hunter2-Secret!";
    private const string PasswordTyped = "my password is " + Password;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ariabot-redact-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Card_number_cvv_password_and_sign_in_code_typed_into_web_chat_are_stored_and_replayed_only_redacted()
    {
        var database = Path.Combine(_folder, "bot.db");
        string conversationId;
        string code;
        string everythingServed;
        string logs;
        string rows;
        IStorage storage;
        const string userId = "dl_redaction-test";
        await using (var host = new AssistantTestHost(new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = database }))
        {
            storage = host.Storage;
            var generated = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, new { user = new { id = userId, name = "Ana" } }));
            var token = generated.GetProperty("token").GetString()!;
            conversationId = generated.GetProperty("conversationId").GetString()!;
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).StatusCode);

            // The bot warns and says the truth: the message is gone from this chat.
            var warning = await ConverseAsync(host, token, conversationId, CardTyped);
            Assert.Contains("removed it from this chat", warning, StringComparison.Ordinal);
            await ConverseAsync(host, token, conversationId, CvvTyped);
            await ConverseAsync(host, token, conversationId, PasswordTyped);

            // Sign in by link and code: the code is typed back while the bot waits for it.
            await PostAsync(host, token, conversationId, "sign in");
            var link = LinkIn(await ReadAllAsync(host, token, conversationId));
            code = (await AssistantTestHost.SignInOnPageAsync(host.Client, link)).Code!;
            var typedCode = $"{code[..3]} {code[3..]}";
            var answer = await ConverseAsync(host, token, conversationId, typedCode);
            Assert.Contains("you're signed in", answer, StringComparison.Ordinal);
            // The turn read the code as typed: the chat is bound to the account.
            Assert.NotNull(await host.Bindings.GetAsync(new BindingKey(Channels.DirectLine, conversationId, userId, TurnIngress.DirectLine)));

            // Everything a client can read back: the log and the whole conversation replayed on a new stream (a reload).
            var activities = await ReadAllAsync(host, token, conversationId);
            var echoes = activities.EnumerateArray().Where(a => a.GetProperty("from").GetProperty("id").GetString() == userId).Select(a => a.GetProperty("text").GetString()).ToList();
            Assert.Equal(["my card is [card number removed]", "my cvv is [security code removed]", "my password is [password removed]", "sign in", "[removed]"], echoes);
            var reconnected = await Json(await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}", token));
            var replay = await ReplayAsync(host, reconnected.GetProperty("streamUrl").GetString()!, activities.GetArrayLength());
            Assert.Contains("[card number removed]", replay, StringComparison.Ordinal);
            everythingServed = activities.GetRawText() + replay;
            logs = string.Join("\n", host.Logs.GetSnapshot().Select(Everything));
            // The file's bytes hold a packed reply body only compressed: the rows are read back with those unpacked too.
            rows = await StoredText.AllAsync(host.Storage);
        }
        // The host's disposal returns before the app (minimal hosting) disposes its container, store included, whose
        // last close deletes -wal and -shm: disposing the store again joins that disposal, and the folder is then still.
        await ((IAsyncDisposable)storage).DisposeAsync();
        SqliteConnection.ClearAllPools();
        var file = ReadFolder(_folder);
        Assert.Contains(conversationId, file, StringComparison.Ordinal);
        // The file holds the log and the transcript of this chat, with the redacted text where the secrets were.
        Assert.Contains("transcripts/", file, StringComparison.Ordinal);
        Assert.Contains("my card is [card number removed]", file, StringComparison.Ordinal);

        foreach (var (where, text) in new[] { ("GET activities and the stream replay", everythingServed), ("the captured log", logs), ("the SQLite file", file), ("the stored rows", rows) })
        {
            Assert.DoesNotContain(Card, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Card.Replace(" ", "", StringComparison.Ordinal), text, StringComparison.Ordinal);
            Assert.DoesNotContain(CvvTyped, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain($"{code[..3]} {code[3..]}", text, StringComparison.Ordinal);
            // The code alone; standing alone, as six digits may occur by chance inside ids and timestamps.
            Assert.False(Regex.IsMatch(text, $"(?<![A-Za-z0-9.:+-]){code}(?![A-Za-z0-9])"), $"{where} holds the sign-in code");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static async Task<string> PostAsync(AssistantTestHost host, string token, string conversationId, string text)
    {
        var posted = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations/{conversationId}/activities", token,
            new { type = "message", text, channelData = new { clientActivityID = Guid.NewGuid().ToString("N") } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        return (await Json(posted)).GetProperty("id").GetString()!;
    }

    /// <summary>Posts one message and returns the text of the bot's replies to it.</summary>
    internal static async Task<string> ConverseAsync(AssistantTestHost host, string token, string conversationId, string text)
    {
        var id = await PostAsync(host, token, conversationId, text);
        var activities = await ReadAllAsync(host, token, conversationId);
        return string.Join("\n", activities.EnumerateArray()
            .Where(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id && a.TryGetProperty("text", out _))
            .Select(a => a.GetProperty("text").GetString()));
    }

    internal static async Task<JsonElement> ReadAllAsync(AssistantTestHost host, string token, string conversationId)
    {
        var response = await SendAsync(host, HttpMethod.Get, $"{DirectLine}/conversations/{conversationId}/activities", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json(response)).GetProperty("activities");
    }

    private static Uri LinkIn(JsonElement activities)
    {
        var card = activities.EnumerateArray().Last(a => a.TryGetProperty("attachments", out _)).GetProperty("attachments")[0];
        return new Uri(card.GetProperty("content").GetProperty("buttons")[0].GetProperty("value").GetString()!);
    }

    /// <summary>Opens the stream with no watermark (what a reloaded page does) and reads frames until the whole log was replayed.</summary>
    private static async Task<string> ReplayAsync(AssistantTestHost host, string streamUrl, int count)
    {
        using var socket = await host.WebSocketClient().ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        var frames = new StringBuilder();
        var received = 0;
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (received < count)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            var frame = Encoding.UTF8.GetString(message.ToArray());
            if (frame.Length > 0)
            {
                received += JsonDocument.Parse(frame).RootElement.GetProperty("activities").GetArrayLength();
                frames.Append(frame);
            }
        }
        return frames.ToString();
    }

    internal static string Everything(FakeLogRecord record)
    {
        var text = new StringBuilder(record.Category).Append('|').Append(record.Message);
        foreach (var pair in record.StructuredState ?? [])
        {
            text.Append('|').Append(pair.Key).Append('=').Append(pair.Value);
        }
        return text.Append('|').Append(record.Exception?.ToString()).ToString();
    }

    private static string ReadFolder(string folder) =>
        string.Concat(Directory.GetFiles(folder).Select(path => Encoding.UTF8.GetString(ReadToEnd(path))));

    // Read to the end whatever the length was when the file was opened: SQLite may still shrink its log (a checkpoint
    // at shutdown), which made File.ReadAllBytes fail on a file shorter than the length it had read.
    private static byte[] ReadToEnd(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
