using System.Text.Json;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Tests.Connector;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// Direct Line's store writes (the conversation record, the log, the inbox, the retry marker) are serialised once to
/// UTF-8 (issue 22), as <see cref="StoreWrite.Of{T}"/> makes them, so the stores keep or bind the bytes as they are:
/// no element is parsed per write. What is stored is the same JSON the serialiser writes, and reads give it back.
/// </summary>
public sealed class DirectLineStoreWriteTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private sealed class RecordingStorage(IStorage inner) : IStorage
    {
        public List<(string Key, StoreWrite Write)> Writes { get; } = [];

        public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(keys, cancellationToken);

        public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
        {
            Writes.AddRange(changes.Select(change => (change.Key, change.Value)));
            return inner.WriteAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

        public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadPrefixAsync(prefix, limit, cancellationToken);

        public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(cancellationToken);
    }

    [Fact]
    public async Task Posts_replies_and_updates_are_written_as_serialised_utf8_and_read_back_the_same()
    {
        var storage = new RecordingStorage(new MemoryStorage(_clock));
        var store = new DirectLineStore(storage, new StaticMonitor<DirectLineOptions>(new DirectLineOptions()), _clock);
        var conversationId = DirectLineStore.NewConversationId();
        Assert.True(await store.CreateConversationAsync(new DirectLineConversationRecord { Id = conversationId, UserId = "dl_user", Locale = "es-ES" }, CancellationToken.None));
        // Create-only still: a second record under the same id is refused and changes nothing.
        Assert.False(await store.CreateConversationAsync(new DirectLineConversationRecord { Id = conversationId, UserId = "dl_other" }, CancellationToken.None));
        Assert.Equal("dl_user", (await store.GetConversationAsync(conversationId, CancellationToken.None))!.UserId);

        var post = new Activity { Type = ActivityTypes.Message, Text = "añadir 2 <b> ✓", From = new ChannelAccount { Id = "dl_user" } };
        var posted = await store.PostAsync(conversationId, post, "client-1", new DirectLineInboxItem { UserId = "dl_user" }, _ => null, CancellationToken.None);
        var reply = new Activity { Type = ActivityTypes.Message, Text = "Hola", SuggestedActions = new SuggestedActions { Actions = [CardAction.ImBack("Pagar")] } };
        var (_, replySeq, _) = await store.AppendAsync(conversationId, reply, null, CancellationToken.None);
        reply.Text = "Hola de nuevo";
        Assert.True(await store.ReplaceAsync(conversationId, replySeq, reply, CancellationToken.None));

        Assert.NotEmpty(storage.Writes);
        Assert.Contains(storage.Writes, write => write.Key.Contains("/k/", StringComparison.Ordinal));
        Assert.Contains(storage.Writes, write => write.Key.StartsWith(DirectLineStore.InboxPrefix, StringComparison.Ordinal));
        foreach (var (key, write) in storage.Writes)
        {
            // Made from bytes: the element is parsed from them only on demand, and it is the same JSON.
            Assert.True(write.OwnedUtf8 is not null, $"{key} was written as an element");
            Assert.Equal(write.Utf8.ToArray(), JsonSerializer.SerializeToUtf8Bytes(write.Document, StateJson.Options));
        }

        var (activities, _) = await store.ReadSinceAsync(conversationId, 0, CancellationToken.None);
        Assert.Equal(["añadir 2 <b> ✓", "Hola de nuevo"], activities.Select(activity => activity.Text));
        Assert.Equal(posted.Id, activities[0].Id);
        Assert.Equal("Pagar", activities[1].SuggestedActions!.Actions![0].Value!.Value.GetString());
        Assert.Equal(replySeq, (await store.GetConversationAsync(conversationId, CancellationToken.None))!.Seq);
        Assert.Equal((await store.NextInboxAsync(conversationId, CancellationToken.None))!.Value.Item.Activity.Text, post.Text);
    }
}
