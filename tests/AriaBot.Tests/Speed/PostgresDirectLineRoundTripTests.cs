using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Xunit.Abstractions;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What an unsigned turn over our Direct Line costs PostgreSQL (issue 22), counted from Npgsql's own trace of every
/// command sent, on the real host as the bench drives it: the post (with a clientActivityID), its turn, the client's poll.
/// Counted from the code before this change, "help" (two replies) made 16 round trips besides one <c>pg_notify</c> per
/// announcement (3): a read of the retry marker before the post's write, a read of the inbox entry by the waiting post, a
/// read of the record by the first reply and a prefix read per reply by the poll, none of which is left. Now 12: the post's
/// record read and write; the drain's inbox read, the turn's start, the binding read by user, two replies, the closing
/// write, the entry's delete, the inbox read that finds it empty; the poll's record read and its one log read. The
/// announcements go out in one to three statements (as many as were queued when the relay sent).
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

    [SkippableFact]
    public async Task An_unsigned_direct_line_turn_costs_twelve_round_trips_besides_announcements()
    {
        Skip.If(Postgres is null, "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).");
        var generated = await Json(await SendAsync(_host!, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_trips", name = "Trips" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversation = generated.GetProperty("conversationId").GetString()!;
        using (var started = await SendAsync(_host!, HttpMethod.Post, $"{DirectLine}/conversations", token, new { locale = "en-US" }))
        {
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        }
        // The first turn creates the schema, warms the pool and prepares the statements.
        Assert.True(await TurnAsync(token, conversation, "hi", "trips-1") > 0);
        await Task.Delay(200);

        var commands = new ConcurrentQueue<string>();
        int replies;
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => commands.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? "?"),
        })
        {
            ActivitySource.AddActivityListener(listener);
            replies = await TurnAsync(token, conversation, "help", "trips-2");
            // The relay sends its announcements in the background: give it the time to.
            await Task.Delay(500);
        }

        var sent = commands.ToList();
        foreach (var sql in sent)
        {
            output.WriteLine(sql.ReplaceLineEndings(" "));
        }
        Assert.True(replies >= 2, $"expected the help and the question after it, got {replies}");
        // The turn: its start and closing write; each reply appended (the first under the record read with the lease).
        Assert.Equal(1, sent.Count(sql => sql.Contains("bot_state_begin_v2", StringComparison.Ordinal)));
        // Every write is one write_v3: the post's log entry, each reply appended, and the turn's closing write.
        Assert.Equal(2 + replies, sent.Count(sql => sql.Contains("bot_state_write_v3", StringComparison.Ordinal)));
        // The relay's announcements (the echo, each reply) go out in as few statements as are queued when it sends.
        var notifies = sent.Count(sql => sql.Contains("pg_notify", StringComparison.Ordinal));
        Assert.InRange(notifies, 1, 1 + replies);
        Assert.True(sent.Count - notifies == 12, $"{sent.Count - notifies} commands besides pg_notify: " + string.Join(" | ", sent));
    }
}
