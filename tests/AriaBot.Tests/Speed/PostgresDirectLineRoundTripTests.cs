using System.Net;
using Npgsql;
using Xunit.Abstractions;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What an unsigned turn over our Direct Line costs PostgreSQL (issue 22), counted from Npgsql's own trace of every
/// command sent, on the real host as the bench drives it: the post (with a clientActivityID), its turn, the client's poll.
/// Counted from the code, "help" (two replies) made 16 round trips besides one <c>pg_notify</c> per announcement (3), then
/// 12 (branch x/dlpg). Now 8: the post's record read and write; the drain's inbox read (two entries: it then knows
/// whether to read again); the turn's start (with the record, the state and both session-binding keys read ahead, the
/// per-user one included); two replies; the closing write, which also ends the inbox entry; the poll's one read of the
/// record with the log after its watermark. Gone since 12: the binding read by user, the entry's delete, the inbox read
/// that found it empty, the poll's second read. The announcements go out in one to three statements.
/// </summary>
public sealed class PostgresDirectLineRoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string DirectLine = "/v3/directline";
    private static readonly string? Postgres = Environment.GetEnvironmentVariable("ARIABOT_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
    private readonly string _database = "aria_dl_roundtrip_" + Guid.NewGuid().ToString("N")[..12];
    private AssistantTestHost? _host;

    public async Task InitializeAsync()
    {
        if (Postgres is null)
        {
            return;
        }
        await using (var admin = NpgsqlDataSource.Create(Postgres))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {_database}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString;
        _host = new AssistantTestHost(new() { ["State:Provider"] = "Postgres", ["State:PostgresConnectionString"] = connectionString });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (Postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(Postgres);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<int> TurnAsync(string token, string conversation, string text, string clientActivityId)
    {
        using var posted = await SendAsync(_host!, HttpMethod.Post, $"{DirectLine}/conversations/{conversation}/activities", token,
            new { type = "message", from = new { id = "dl_trips" }, text, locale = "en-US", channelData = new { clientActivityID = clientActivityId } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var id = (await Json(posted)).GetProperty("id").GetString()!;
        using var read = await SendAsync(_host!, HttpMethod.Get, $"{DirectLine}/conversations/{conversation}/activities?watermark={id[(id.LastIndexOf('|') + 1)..]}", token);
        return (await Json(read)).GetProperty("activities").EnumerateArray().Count(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id);
    }

    /// <summary>A conversation started as the bench starts it, after one turn (the schema made, the pool warm, the statements prepared).</summary>
    private async Task<(string Token, string Conversation)> WarmConversationAsync()
    {
        var generated = await Json(await SendAsync(_host!, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_trips", name = "Trips" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversation = generated.GetProperty("conversationId").GetString()!;
        using (var started = await SendAsync(_host!, HttpMethod.Post, $"{DirectLine}/conversations", token, new { locale = "en-US" }))
        {
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        }
        Assert.True(await TurnAsync(token, conversation, "hi", "warm-1") > 0);
        await Task.Delay(200);
        return (token, conversation);
    }

    /// <summary>Every command Npgsql sends while <paramref name="action"/> runs and <paramref name="settle"/> after (the relay sends in the background).</summary>
    private async Task<List<string>> TraceAsync(Func<Task> action, TimeSpan settle)
    {
        List<string> sent;
        using (var trace = new NpgsqlCommandTrace(_database))
        {
            await action();
            await Task.Delay(settle);
            sent = trace.Commands;
        }
        foreach (var sql in sent)
        {
            output.WriteLine(sql.ReplaceLineEndings(" "));
        }
        return sent;
    }

    private static int Notifies(List<string> sent) => sent.Count(sql => sql.Contains("pg_notify", StringComparison.Ordinal));

    [SkippableFact]
    public async Task An_unsigned_direct_line_turn_costs_eight_round_trips_besides_announcements()
    {
        Skip.If(Postgres is null, "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).");
        var (token, conversation) = await WarmConversationAsync();

        var replies = 0;
        var sent = await TraceAsync(async () => replies = await TurnAsync(token, conversation, "help", "trips-2"), TimeSpan.FromMilliseconds(500));

        Assert.True(replies >= 2, $"expected the help and the question after it, got {replies}");
        // The turn: its start and closing write; each reply appended (the first under the record read with the lease).
        Assert.Equal(1, sent.Count(sql => sql.Contains("bot_state_begin_v3", StringComparison.Ordinal)));
        // Every write is one write_v3: the post's log entry, each reply appended, and the turn's closing write.
        Assert.Equal(2 + replies, sent.Count(sql => sql.Contains("bot_state_write_v3", StringComparison.Ordinal)));
        // The relay's announcements (the echo, each reply) go out in as few statements as are queued when it sends.
        Assert.InRange(Notifies(sent), 1, 1 + replies);
        // The inbox entry ends in the closing write: no DELETE of its own.
        Assert.DoesNotContain(sent, sql => sql.Contains("DELETE", StringComparison.OrdinalIgnoreCase));
        Assert.True(sent.Count - Notifies(sent) == 8, $"{sent.Count - Notifies(sent)} commands besides pg_notify: " + string.Join(" | ", sent));
    }

    [SkippableFact]
    public async Task A_poll_is_one_round_trip_whether_a_turns_replies_or_nothing_is_new()
    {
        Skip.If(Postgres is null, "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).");
        var (token, conversation) = await WarmConversationAsync();
        using var posted = await SendAsync(_host!, HttpMethod.Post, $"{DirectLine}/conversations/{conversation}/activities", token,
            new { type = "message", from = new { id = "dl_trips" }, text = "help", locale = "en-US", channelData = new { clientActivityID = "poll-2" } });
        var id = (await Json(posted)).GetProperty("id").GetString()!;
        await Task.Delay(500);

        // From the post's own id its replies are new; from the watermark that answer gave, nothing is.
        var (replies, watermark) = (0, "");
        var withNews = await TraceAsync(async () => (replies, watermark) = await PollAsync(id[(id.LastIndexOf('|') + 1)..]), TimeSpan.Zero);
        var (none, _) = (-1, "");
        var idle = await TraceAsync(async () => (none, _) = await PollAsync(watermark), TimeSpan.Zero);

        Assert.True(replies >= 2, $"expected the help and the question after it, got {replies}");
        Assert.Equal(0, none);
        Assert.Equal(1, withNews.Count - Notifies(withNews));
        Assert.Equal(1, idle.Count - Notifies(idle));

        async Task<(int Activities, string Watermark)> PollAsync(string from)
        {
            using var read = await SendAsync(_host!, HttpMethod.Get, $"{DirectLine}/conversations/{conversation}/activities?watermark={from}", token);
            var set = await Json(read);
            return (set.GetProperty("activities").GetArrayLength(), set.GetProperty("watermark").GetString()!);
        }
    }
}
