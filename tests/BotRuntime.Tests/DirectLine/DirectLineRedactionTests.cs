using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// The redaction hook at Direct Line: what a user typed is stored, served and replayed only redacted, while the turn
/// still gets it as typed from memory; and the one-time upgrade of rows an earlier version stored in clear.
/// </summary>
public sealed class DirectLineRedactionTests
{
    private const string Card = "4111 1111 1111 1111";

    [Fact]
    public async Task The_echo_is_stored_redacted_and_the_turn_reads_the_text_as_typed_from_memory_only()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        await host.PostAsync(conversationId, token, "my card is " + Card);
        await host.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities", token,
            new { type = "message", value = new { number = Card, name = "Ana" }, channelData = new { clientActivityID = "submit-1" } });

        var log = await host.WaitForAsync(conversationId, token, activities => activities.Count(a => a.From?.Id == "bot" && a.Text!.StartsWith("echo", StringComparison.Ordinal)) == 2);
        var echoes = log.Where(a => a.From?.Role == RoleTypes.User).ToList();
        Assert.Equal("my card is [card number removed]", echoes[0].Text);
        Assert.Equal("[card number removed]", echoes[1].Value!.Value.GetProperty("number").GetString());
        Assert.Equal("Ana", echoes[1].Value!.Value.GetProperty("name").GetString());
        Assert.Equal("submit-1", echoes[1].ChannelData!.Value.GetProperty("clientActivityID").GetString());
        // The bot heard it as typed (here it even echoes it: redacting replies is the bot's business, not the hook's).
        Assert.Contains(bot.Received, a => a.Text == "my card is " + Card && a.Id == echoes[0].Id);
        Assert.Contains(bot.Received, a => a.Value?.GetProperty("number").GetString() == Card);

        // Nothing Direct Line stores holds the card, and nothing is left held in memory.
        var storage = host.App.Services.GetRequiredService<IStorage>();
        var stored = (await StoredText.RowsAsync(storage, "dl/", 1000)).Where(row => !row.Text.Contains("\"role\":\"bot\"", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, row => row.Text.Contains(Card, StringComparison.Ordinal));
        Assert.Equal(0, host.App.Services.GetRequiredService<DirectLineTurnQueue>().HeldCount);
    }

    [Fact]
    public async Task A_queued_turn_whose_text_as_typed_is_gone_runs_on_the_redacted_copy()
    {
        var bot = new DirectLineTestBot();
        await using var host = await DirectLineTestHost.StartAsync(bot);
        var (conversationId, token, _) = await host.StartConversationAsync();
        var store = host.App.Services.GetRequiredService<DirectLineStore>();
        var record = (await store.GetConversationAsync(conversationId, CancellationToken.None))!;
        // As left by a process that crashed after storing the post: the inbox points at a held copy nobody holds.
        var redacted = new Activity { Type = ActivityTypes.Message, Text = "[removed]", ChannelId = Channels.DirectLine, Conversation = new ConversationAccount { Id = conversationId }, From = new ChannelAccount { Id = record.UserId, Role = RoleTypes.User } };
        var posted = await store.PostAsync(conversationId, redacted, null, new DirectLineInboxItem { UserId = record.UserId, HeldId = "held-by-a-process-that-is-gone" }, _ => null, CancellationToken.None);
        host.App.Services.GetRequiredService<DirectLineTurnQueue>().Schedule(conversationId);

        await host.WaitForAsync(conversationId, token, activities => activities.Any(a => a.ReplyToId == posted.Id));
        Assert.Contains(bot.Received, a => a.Id == posted.Id && a.Text == "[removed]");
    }

    [Fact]
    public async Task The_upgrade_redacts_user_rows_of_the_log_and_inbox_in_place_once_and_leaves_the_bots_alone()
    {
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot());
        var storage = host.App.Services.GetRequiredService<IStorage>();
        var migration = host.App.Services.GetRequiredService<DirectLineRedactionMigration>();
        // The host's start-up runs it on the empty store (in the background: wait for it); a database from before
        // this version has no marker.
        for (var i = 0; i < 200 && (await storage.ReadAsync([DirectLineRedactionMigration.MarkerKey])).Count == 0; i++)
        {
            await Task.Delay(25);
        }
        Assert.Single(await storage.ReadAsync([DirectLineRedactionMigration.MarkerKey]));
        await storage.DeleteAsync([DirectLineRedactionMigration.MarkerKey]);
        var expires = TimeProvider.System.GetUtcNow().AddHours(5);
        // More rows than one page, so the sweep has to split its prefix.
        var changes = new Dictionary<string, StoreWrite>();
        for (var i = 1; i <= 600; i++)
        {
            changes[$"dl/c/conversation{i:D4}/a/0000000001"] = Write(Message("user", RoleTypes.User, "pwd: Sw0rdfish" + i), expires);
            changes[$"dl/c/conversation{i:D4}/a/0000000002"] = Write(Message("bot", RoleTypes.Bot, "pwd: not-a-secret-of-the-customer"), expires);
        }
        changes["dl/inbox/conversation0001/0000000003"] = Write(new DirectLineInboxItem { Activity = Message("user", RoleTypes.User, "card " + Card), UserId = "user" }, expires);
        await storage.WriteAsync(changes);

        Assert.Equal(601, await migration.RunAsync(CancellationToken.None));
        var rows = await storage.ReadPrefixAsync("dl/", 5000);
        var texts = await StoredText.RowsAsync(storage, "dl/", 5000);
        Assert.DoesNotContain(texts, row => row.Text.Contains("Sw0rdfish", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, row => row.Text.Contains(Card, StringComparison.Ordinal));
        Assert.Equal(600, texts.Count(row => row.Text.Contains("not-a-secret-of-the-customer", StringComparison.Ordinal)));
        Assert.All(rows.Where(pair => pair.Key.StartsWith("dl/c/", StringComparison.Ordinal)), pair => Assert.Equal(expires, pair.Value.ExpiresAt));
        Assert.Equal(0, await migration.RunAsync(CancellationToken.None));
    }

    [Fact]
    public void The_default_redactor_leaves_an_activity_without_secrets_or_already_redacted_alone()
    {
        var plain = new Activity { Type = ActivityTypes.Message, Text = "what do I owe on order 12345?", Value = JsonSerializer.SerializeToElement(new { choice = "yes" }) };
        Assert.Null(SensitiveTextActivityRedactor.Redact(plain));
        // Redacting is idempotent: a copy redacted before (by a turn, or by another instance's upgrade) stays as it is.
        var once = SensitiveTextActivityRedactor.Redact(new Activity { Type = ActivityTypes.Message, Text = "my password is Sw0rdfish and my card " + Card })!;
        Assert.Equal("my password is [password removed] and my card [card number removed]", once.Text);
        Assert.Null(SensitiveTextActivityRedactor.Redact(once));
    }

    private static Activity Message(string from, string role, string text) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = Channels.DirectLine,
        From = new ChannelAccount { Id = from, Role = role },
        Text = text,
    };

    private static StoreWrite Write<T>(T value, DateTimeOffset expires) => new(JsonSerializer.SerializeToElement(value, StateJson.Options), null, expires);
}
