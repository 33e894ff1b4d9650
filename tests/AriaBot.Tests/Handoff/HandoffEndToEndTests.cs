using System.Net;
using System.Text.Json;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using Microsoft.Data.Sqlite;
using static AriaBot.Tests.DirectLineHttp;
using static AriaBot.Tests.Privacy.DirectLineEchoRedactionTests;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// The whole handoff over our own Direct Line and the console API, with the bot restarted (state in a SQLite file)
/// while the customer waits: the customer signs in, types a card number, asks for a person; after the restart an
/// agent sees the case with the account and the redacted transcript, accepts, both talk, the agent ends, and the bot
/// answers again.
/// </summary>
public sealed class HandoffEndToEndTests : IDisposable
{
    private const string DirectLine = "/v3/directline";
    private const string Card = "4111 1111 1111 1111";
    private const string UserId = "dl_handoff-e2e";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ariabot-handoff-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_customer_asks_for_a_person_the_bot_restarts_an_agent_accepts_both_talk_the_agent_ends_and_the_bot_answers_again()
    {
        var database = Path.Combine(_folder, "bot.db");
        var settings = AgentConsole.Settings(new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = database });
        string token;
        string conversationId;
        SessionBinding binding;
        await using (var host = new AssistantTestHost(settings))
        {
            var generated = await Json(await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, new { user = new { id = UserId, name = "Ana" } }));
            token = generated.GetProperty("token").GetString()!;
            conversationId = generated.GetProperty("conversationId").GetString()!;
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).StatusCode);

            await PostAsync(host, token, conversationId, "sign in");
            var link = SignInLink(await ReadAllAsync(host, token, conversationId));
            var code = (await AssistantTestHost.SignInOnPageAsync(host.Client, link)).Code!;
            Assert.Contains("you're signed in", await ConverseAsync(host, token, conversationId, code), StringComparison.Ordinal);
            binding = (await host.Bindings.GetAsync(new BindingKey(Channels.DirectLine, conversationId, UserId, TurnIngress.DirectLine)))!;

            await ConverseAsync(host, token, conversationId, "my card is " + Card);
            var connecting = await ConverseAsync(host, token, conversationId, "talk to a person");
            Assert.Contains("connecting you with a person", connecting, StringComparison.Ordinal);

            // Handed off: the bot no longer answers; the message waits for the agent.
            Assert.Equal("", await ConverseAsync(host, token, conversationId, "is anyone there?"));
        }
        SqliteConnection.ClearAllPools();

        await using (var host = new AssistantTestHost(settings))
        {
            // Still handed off after the restart.
            Assert.Equal("", await ConverseAsync(host, token, conversationId, "hello?"));

            using var dana = new AgentConsole(host);
            Assert.Equal(HttpStatusCode.NoContent, (await dana.SignInAsync("dana@example.com")).StatusCode);
            var item = Assert.Single((await dana.QueueAsync()).EnumerateArray());
            Assert.Equal("Waiting", item.GetProperty("state").GetString());
            Assert.Equal("directline", item.GetProperty("channel").GetString());
            Assert.Equal("CustomerAsked", item.GetProperty("reason").GetString());
            Assert.Equal(binding.AccountNo, item.GetProperty("context").GetProperty("accountNo").GetInt64());
            Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("context").GetProperty("accountName").GetString()));
            var id = item.GetProperty("id").GetString()!;

            var view = await dana.CaseAsync(id);
            var transcript = view.GetProperty("transcript").GetRawText();
            Assert.Contains("[card number removed]", transcript, StringComparison.Ordinal);
            Assert.Contains("talk to a person", transcript, StringComparison.Ordinal);
            var waitingLines = Texts(view.GetProperty("messages"));
            Assert.Contains("is anyone there?", waitingLines);
            Assert.Contains("hello?", waitingLines);
            AssertNothingSecret(view.GetRawText(), binding);

            Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync($"/agent/api/handoffs/{id}/accept")).StatusCode);
            var joined = await ReadAllAsync(host, token, conversationId);
            Assert.Contains("Dana from our support team has joined the chat.", LastBotText(joined), StringComparison.Ordinal);
            Assert.DoesNotContain("dana@example.com", joined.GetRawText(), StringComparison.Ordinal);

            // Both ways: the customer's messages reach the agent (a card number masked); the bot says only the privacy warning.
            var warned = await ConverseAsync(host, token, conversationId, "my card is " + Card + ", can you check it?");
            Assert.StartsWith("Please don't type card numbers", warned, StringComparison.Ordinal);
            const string Reply = "Hi Ana, <b>happy</b> to help with that.";
            Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync($"/agent/api/handoffs/{id}/messages", new { text = Reply })).StatusCode);
            var activities = await ReadAllAsync(host, token, conversationId);
            var last = activities.EnumerateArray().Last();
            Assert.Equal(Reply, last.GetProperty("text").GetString());
            Assert.Equal("Dana", last.GetProperty("from").GetProperty("name").GetString());

            view = await dana.CaseAsync(id);
            var talk = Texts(view.GetProperty("messages"));
            Assert.Contains("my card is [card number removed], can you check it?", talk);
            Assert.Contains(Reply, talk);
            AssertNothingSecret(view.GetRawText(), binding);

            Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync($"/agent/api/handoffs/{id}/end")).StatusCode);
            var ended = await ReadAllAsync(host, token, conversationId);
            Assert.Contains("Dana has left the chat. You're back with the assistant", LastBotText(ended), StringComparison.Ordinal);
            Assert.Empty((await dana.QueueAsync()).EnumerateArray());

            // The bot answers again.
            Assert.Contains("Here's what I can do for you", await ConverseAsync(host, token, conversationId, "help"), StringComparison.Ordinal);

            var history = await AgentConsole.Json(await dana.GetAsync("/agent/api/history"));
            var record = Assert.Single(history.EnumerateArray());
            Assert.Equal("Completed", record.GetProperty("outcome").GetString());
            Assert.Equal("Dana", record.GetProperty("agent").GetString());
        }
    }

    private static void AssertNothingSecret(string agentView, SessionBinding binding)
    {
        Assert.DoesNotContain(Card, agentView, StringComparison.Ordinal);
        Assert.DoesNotContain(Card.Replace(" ", "", StringComparison.Ordinal), agentView, StringComparison.Ordinal);
        Assert.DoesNotContain(binding.AriaSessionId, agentView, StringComparison.Ordinal);
        Assert.DoesNotContain("/signin", agentView, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("binding", agentView, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> Texts(JsonElement lines) => [.. lines.EnumerateArray().Select(line => line.GetProperty("text").GetString()!)];

    private static string LastBotText(JsonElement activities) =>
        activities.EnumerateArray().Last(a => a.GetProperty("from").GetProperty("id").GetString() != UserId && a.TryGetProperty("text", out _)).GetProperty("text").GetString()!;

    private static Uri SignInLink(JsonElement activities)
    {
        var card = activities.EnumerateArray().Last(a => a.TryGetProperty("attachments", out _)).GetProperty("attachments")[0];
        return new Uri(card.GetProperty("content").GetProperty("buttons")[0].GetProperty("value").GetString()!);
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
        catch (UnauthorizedAccessException)
        {
        }
    }
}
