using System.Text;
using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Privacy;

/// <summary>
/// Upgrading over a database an earlier version wrote: the customer's messages it kept as typed in the Direct Line log
/// and inbox (a card number, a sign-in code) are redacted once at start-up, in place, and the file keeps no trace.
/// </summary>
public sealed class DirectLineRedactionMigrationTests : IDisposable
{
    private const string Card = "4111 1111 1111 1111";
    private const string OldCode = "483 920";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ariabot-migrate-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Rows_stored_unredacted_by_an_earlier_version_are_redacted_at_start_up_once()
    {
        var database = Path.Combine(_folder, "bot.db");
        const string conversationId = "legacyConversation01";
        const string userId = "dl_legacy-user";
        var expires = TimeProvider.System.GetUtcNow().AddDays(1);
        // What an earlier version left behind: its log and one inbox entry not yet run.
        var earlier = SqliteStorage.ForFile(database, TimeProvider.System);
        await earlier.WriteAsync(new Dictionary<string, StoreWrite>
        {
            [$"dl/c/{conversationId}"] = Write(new DirectLineConversationRecord { Id = conversationId, UserId = userId, Started = true, UserAdded = true, Seq = 4 }, expires),
            [$"dl/c/{conversationId}/a/0000000001"] = Write(Message(conversationId, 1, userId, RoleTypes.User, "my card is " + Card), expires),
            [$"dl/c/{conversationId}/a/0000000002"] = Write(Message(conversationId, 2, "bot", RoleTypes.Bot, "Order ORD-1234 ships Monday 4 May."), expires),
            [$"dl/c/{conversationId}/a/0000000003"] = Write(Message(conversationId, 3, userId, RoleTypes.User, OldCode), expires),
            [$"dl/c/{conversationId}/a/0000000004"] = Write(Message(conversationId, 4, userId, RoleTypes.User, "what do I owe?"), expires),
            [$"dl/inbox/{conversationId}/0000000003"] = Write(new DirectLineInboxItem { Activity = Message(conversationId, 3, userId, RoleTypes.User, OldCode), UserId = userId }, expires),
        });
        // The earlier process ends before this one starts. Left undisposed, its writer's connection was closed by a
        // finalizer at some later GC — the file's last close, which rewrites and deletes the log while this test reads it.
        await earlier.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Assert.Contains(Card, ReadFiles(), StringComparison.Ordinal);

        IStorage storage;
        await using (var host = new AssistantTestHost(new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = database }))
        {
            storage = host.Storage;
            // The queued turn runs once start-up is done (the migration goes first).
            await WaitForAsync(async () => (await host.Storage.ReadPrefixAsync(DirectLineStore.InboxPrefix, 10)).Count == 0);
            var log = await DirectLineEchoRedactionTests.ReadAllAsync(host, AssistantTestHost.DirectLineSecret, conversationId);
            var texts = log.EnumerateArray().Take(4).Select(a => a.GetProperty("text").GetString()).ToList();
            Assert.Equal(["my card is [card number removed]", "Order ORD-1234 ships Monday 4 May.", "[removed]", "what do I owe?"], texts);
            // Kept where it was: same ids, still expiring with the rest of the log.
            Assert.Equal($"{conversationId}|0000001", log[0].GetProperty("id").GetString());
            var row = (await host.Storage.ReadAsync([$"dl/c/{conversationId}/a/0000000001"]))[$"dl/c/{conversationId}/a/0000000001"];
            Assert.Equal(expires.ToUnixTimeMilliseconds(), row.ExpiresAt!.Value.ToUnixTimeMilliseconds());
            // Every row as the store gives it back, packed reply bodies unpacked (the file's bytes hold those only compressed).
            var rows = await StoredText.AllAsync(host.Storage);
            Assert.DoesNotContain(Card, rows, StringComparison.Ordinal);
            Assert.DoesNotContain(OldCode, rows, StringComparison.Ordinal);

            // Once: the version is recorded, and a later start finds it and rewrites nothing.
            Assert.Single(await host.Storage.ReadAsync([DirectLineRedactionMigration.MarkerKey]));
            Assert.Equal(0, await host.Services.GetRequiredService<DirectLineRedactionMigration>().RunAsync(CancellationToken.None));
        }
        // The factory's disposal returns once the app has stopped, but the app (minimal hosting: its own Main, on its own
        // thread) disposes its container after that, store included — so the store may still be closing its connections,
        // and the file's last close deletes -wal and -shm under a test reading them. Disposing the store again joins that
        // disposal (the same task), after which nothing of it touches the files.
        await ((IAsyncDisposable)storage).DisposeAsync();
        var file = ReadFiles();
        Assert.Contains(conversationId, file, StringComparison.Ordinal);
        Assert.DoesNotContain(Card, file, StringComparison.Ordinal);
        Assert.DoesNotContain(OldCode, file, StringComparison.Ordinal);
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

    private string ReadFiles() => string.Concat(Directory.GetFiles(_folder).Select(path => Encoding.UTF8.GetString(File.ReadAllBytes(path))));

    private static Activity Message(string conversationId, long seq, string from, string role, string text) => new()
    {
        Type = ActivityTypes.Message,
        Id = DirectLineStore.ActivityId(conversationId, seq),
        ChannelId = Channels.DirectLine,
        Conversation = new ConversationAccount { Id = conversationId },
        From = new ChannelAccount { Id = from, Role = role },
        Text = text,
    };

    private static StoreWrite Write<T>(T value, DateTimeOffset expires) => new(JsonSerializer.SerializeToElement(value, StateJson.Options), null, expires);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(await condition(), "the queued turn did not run");
    }
}
