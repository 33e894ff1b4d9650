using System.Net;
using BotRuntime.DirectLine;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What an unsigned turn over our Direct Line asks of the store (issue 22), counted with a decorator on the real host,
/// never timed: the conversation record is read once by the post (its eTag then guards the post's write), once for the
/// turn's first reply (the second reply writes under the eTag the first one got back), and once by the client's poll
/// (which reads the log from that same record). And a record gone stale under a reply only costs a retry: no activity
/// is lost or numbered twice.
/// </summary>
public sealed class DirectLineTurnStorageTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const string DirectLine = "/v3/directline";
    private readonly AssistantTestHost _host = new(services: services => services.AddCountingStorage());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private string? _lastPostedId;

    private CountingStorage Storage => _host.Services.GetRequiredService<CountingStorage>();

    private async Task<(string Token, string Conversation)> StartAsync()
    {
        var generated = await Json(await SendAsync(_host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_calls", name = "Calls" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversation = generated.GetProperty("conversationId").GetString()!;
        using var started = await SendAsync(_host, HttpMethod.Post, $"{DirectLine}/conversations", token, new { locale = "en-US" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (token, conversation);
    }

    /// <summary>Posts <paramref name="text"/>, then polls from its id; returns the bot's replies to it.</summary>
    private async Task<List<string>> TurnAsync(string token, string conversation, string text, string? clientActivityId = null)
    {
        using var posted = await SendAsync(_host, HttpMethod.Post, $"{DirectLine}/conversations/{conversation}/activities", token, clientActivityId is null
            ? (object)new { type = "message", from = new { id = "dl_calls" }, text, locale = "en-US" }
            : new { type = "message", from = new { id = "dl_calls" }, text, locale = "en-US", channelData = new { clientActivityID = clientActivityId } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var id = (await Json(posted)).GetProperty("id").GetString()!;
        _lastPostedId = id;
        using var read = await SendAsync(_host, HttpMethod.Get, $"{DirectLine}/conversations/{conversation}/activities?watermark={id[(id.LastIndexOf('|') + 1)..]}", token);
        return [.. (await Json(read)).GetProperty("activities").EnumerateArray()
            .Where(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id && a.GetProperty("type").GetString() == ActivityTypes.Message)
            .Select(a => a.GetProperty("text").GetString() ?? "")];
    }

    [Fact]
    public async Task A_turn_reads_the_conversation_record_once_for_the_post_once_for_its_replies_and_once_for_the_poll()
    {
        var (token, conversation) = await StartAsync();
        Assert.NotEmpty(await TurnAsync(token, conversation, "hi"));

        Storage.Reset();
        var replies = await TurnAsync(token, conversation, "help");
        foreach (var call in Storage.Calls)
        {
            output.WriteLine($"{call.Kind,-7} {string.Join(", ", call.Keys)}");
        }
        // Two replies ("help", then "anything else?"): the second needs no read of its own.
        Assert.True(replies.Count >= 2, $"expected the help and the question after it, got {replies.Count}");
        var recordReads = Storage.Calls.Count(call => call.Kind == "read" && call.Keys.Contains($"dl/c/{conversation}"));
        Assert.Equal(3, recordReads);
        // Every reply is in the log once, numbered in order after the post (the poll saw them all).
        Assert.Equal(replies.Count, Storage.Calls.Count(call => call.Kind == "write" && call.Keys.Any(key => key.StartsWith($"dl/c/{conversation}/a/", StringComparison.Ordinal)))
            - 1);
    }

    [Fact]
    public async Task A_turn_reads_no_retry_marker_no_inbox_entry_of_its_own_and_the_new_log_in_one_call()
    {
        var (token, conversation) = await StartAsync();
        Assert.NotEmpty(await TurnAsync(token, conversation, "hi"));

        Storage.Reset();
        var replies = await TurnAsync(token, conversation, "help", clientActivityId: "client-help-1");
        foreach (var call in Storage.Calls)
        {
            output.WriteLine($"{call.Kind,-7} {string.Join(", ", call.Keys)}");
        }
        Assert.True(replies.Count >= 2, $"expected the help and the question after it, got {replies.Count}");
        // The retry marker is written create-only with the post: a first post does not read it first.
        Assert.DoesNotContain(Storage.Calls, call => call.Kind == "read" && call.Keys.Any(key => key.StartsWith($"dl/c/{conversation}/k/", StringComparison.Ordinal)));
        // The post waits for its turn without reading its own inbox entry (the drain tells it).
        Assert.DoesNotContain(Storage.Calls, call => call.Kind == "read" && call.Keys.Any(key => key.StartsWith($"dl/inbox/{conversation}/", StringComparison.Ordinal)));
        // The poll reads the turn's replies (two or more sequence numbers) in one call, not one prefix read each.
        Assert.Equal(1, Storage.Calls.Count(call => call.Kind != "write" && call.Keys.Any(key => key.StartsWith($"dl/c/{conversation}/a/", StringComparison.Ordinal))));

        // And a retry of that post (same clientActivityID) still gets the first post's id and no second turn.
        // (A turn writes its delivery record; the retry's own write, which conflicted on the marker, stored nothing.)
        var before = Storage.Calls.Count(call => call.Kind == "write" && call.Keys.Any(key => key.StartsWith("deliveries/directline/", StringComparison.Ordinal)));
        using var retried = await SendAsync(_host, HttpMethod.Post, $"{DirectLine}/conversations/{conversation}/activities", token,
            new { type = "message", from = new { id = "dl_calls" }, text = "help", locale = "en-US", channelData = new { clientActivityID = "client-help-1" } });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(_lastPostedId, (await Json(retried)).GetProperty("id").GetString());
        using var read = await SendAsync(_host, HttpMethod.Get, $"{DirectLine}/conversations/{conversation}/activities", token);
        Assert.Single((await Json(read)).GetProperty("activities").EnumerateArray(), a => a.TryGetProperty("text", out var text) && text.GetString() == "help"
            && a.GetProperty("from").GetProperty("id").GetString() == "dl_calls");
        Assert.Equal(before, Storage.Calls.Count(call => call.Kind == "write" && call.Keys.Any(key => key.StartsWith("deliveries/directline/", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task The_inbox_entry_ends_in_the_turns_closing_write_and_the_drain_reads_the_inbox_once()
    {
        var (token, conversation) = await StartAsync();
        Assert.NotEmpty(await TurnAsync(token, conversation, "hi"));

        Storage.Reset();
        Assert.NotEmpty(await TurnAsync(token, conversation, "help"));
        foreach (var call in Storage.Calls)
        {
            output.WriteLine($"{call.Kind,-7} {string.Join(", ", call.Keys)}");
        }
        var inbox = $"dl/inbox/{conversation}/";
        // One write ends the turn: its state, its done record and the end of its inbox entry; no delete after it.
        Assert.Single(Storage.Calls, call => call.Kind == "write"
            && call.Keys.Any(key => key.StartsWith(inbox, StringComparison.Ordinal))
            && call.Keys.Any(key => key.StartsWith($"deliveries/directline/{conversation}/", StringComparison.Ordinal)));
        Assert.DoesNotContain(Storage.Calls, call => call.Kind == "delete" && call.Keys.Any(key => key.StartsWith(inbox, StringComparison.Ordinal)));
        // The drain read the inbox once: it saw nothing queued behind the entry, so it reads no more to find it empty.
        Assert.Equal(1, Storage.PrefixReads(inbox));
        // And the entry is gone for every reader, as a delete would have left it.
        var store = _host.Services.GetRequiredService<DirectLineStore>();
        Assert.Null(await store.NextInboxAsync(conversation, CancellationToken.None));
        Assert.DoesNotContain(conversation, await store.ConversationsWithInboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reply_written_from_a_stale_record_retries_and_loses_nothing()
    {
        var (token, conversation) = await StartAsync();
        Assert.NotEmpty(await TurnAsync(token, conversation, "hi"));
        var store = _host.Services.GetRequiredService<DirectLineStore>();
        var reply = new Activity { Type = ActivityTypes.Message, Text = "first" };
        var (_, firstSeq, record) = await store.AppendAsync(conversation, reply, null, CancellationToken.None);

        // Something else appends meanwhile (another reply, a post): the record this reply would start from is stale.
        var (_, otherSeq, _) = await store.AppendAsync(conversation, new Activity { Type = ActivityTypes.Message, Text = "other" }, null, CancellationToken.None);
        var (_, lastSeq, _) = await store.AppendAsync(conversation, new Activity { Type = ActivityTypes.Message, Text = "last" }, record, CancellationToken.None);

        Assert.Equal(firstSeq + 1, otherSeq);
        Assert.Equal(otherSeq + 1, lastSeq);
        var (log, _) = await store.ReadSinceAsync(conversation, firstSeq - 1, CancellationToken.None);
        Assert.Equal(["first", "other", "last"], log.Select(activity => activity.Text));
    }
}
