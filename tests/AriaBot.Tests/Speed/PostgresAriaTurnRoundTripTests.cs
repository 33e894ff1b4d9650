using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotRuntime.Schema;
using Npgsql;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What an AriaBot turn costs PostgreSQL (issue 22), counted from Npgsql's own trace of every command sent, on the real
/// host over an unauthenticated <c>/api/messages</c> (as the bench drives it). An unsigned "hi" made seven round trips:
/// one read per ingress that might own the conversation (Direct Line, Slack), the turn's start, the session binding
/// three times (customer-activity middleware, session check, held notices), the closing write. Then three: the
/// ownership keys in one read, the start, the closing write. Now two: the start (refusal keys checked, lease, claim,
/// conversation state and binding read ahead: begin_v3) and the closing write (write_v3).
/// </summary>
public sealed class PostgresAriaTurnRoundTripTests : IAsyncLifetime
{
    private static readonly string? Postgres = Environment.GetEnvironmentVariable("ARIABOT_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
    private readonly string _database = "aria_roundtrip_" + Guid.NewGuid().ToString("N")[..12];
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

    [SkippableTheory]
    [InlineData("hi")]
    [InlineData("help")]
    [InlineData("what can you do?")]
    public async Task An_unsigned_turn_over_api_messages_costs_two_round_trips(string text)
    {
        Skip.If(Postgres is null, "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).");
        // The first turn creates the schema, warms the pool and starts the conversation.
        Assert.NotEmpty(await ApiMessages.PostAsync(_host!, "warm", "hi"));

        List<string> sent;
        using (var trace = new NpgsqlCommandTrace(_database))
        {
            Assert.Contains(await ApiMessages.PostAsync(_host!, "counted", text), reply => reply.Type == BotRuntime.Schema.ActivityTypes.Message);
            sent = trace.Commands;
        }

        Assert.Equal(1, sent.Count(sql => sql.Contains("bot_state_begin_v3", StringComparison.Ordinal)));
        Assert.Equal(1, sent.Count(sql => sql.Contains("bot_state_write_v3", StringComparison.Ordinal)));
        // No plain read: whether the Direct Line or Slack ingress owns the conversation is checked by begin_v3.
        Assert.True(sent.Count == 2, "commands sent: " + string.Join(" | ", sent));
    }

    [SkippableFact]
    public async Task An_anonymous_turn_naming_a_Direct_Line_conversation_is_refused_in_one_round_trip_that_writes_nothing()
    {
        Skip.If(Postgres is null, "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).");
        Assert.NotEmpty(await ApiMessages.PostAsync(_host!, "warm", "hi"));
        var generated = await SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", AssistantTestHost.DirectLineSecret);
        var body = JsonDocument.Parse(await generated.Content.ReadAsStringAsync()).RootElement;
        var conversationId = body.GetProperty("conversationId").GetString()!;
        Assert.True((await SendAsync(HttpMethod.Post, "/v3/directline/conversations", body.GetProperty("token").GetString()!)).IsSuccessStatusCode);

        List<string> sent;
        using (var trace = new NpgsqlCommandTrace(_database))
        {
            var activity = new BotRuntime.Schema.Activity
            {
                Type = ActivityTypes.Message, Id = "foreign-1", ChannelId = Channels.Webchat, Conversation = new ConversationAccount { Id = conversationId },
                From = new ChannelAccount { Id = "intruder" }, Recipient = new ChannelAccount { Id = "bot" }, Text = "yes", DeliveryMode = DeliveryModes.ExpectReplies,
            };
            var response = await _host!.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            sent = trace.Commands;
        }

        // (Only the state table's commands: the Direct Line conversation opened above may still be read by its pump.)
        sent = sent.Where(sql => sql.Contains("bot_state", StringComparison.Ordinal)).ToList();
        Assert.True(sent.Count == 1 && sent[0].Contains("bot_state_begin_v3", StringComparison.Ordinal), "commands sent: " + string.Join(" | ", sent));
        // Neither a delivery claim nor a lease: the refused caller left nothing behind.
        Assert.Empty(await _host.Storage.ReadPrefixAsync($"deliveries/anonymous/webchat/{conversationId}/", 10));
        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString);
        await using var leases = admin.CreateCommand("SELECT count(*) FROM bot_state_leases WHERE conversation LIKE '%' || $1 || '%' AND expires_at > now()");
        leases.Parameters.AddWithValue(conversationId);
        Assert.Equal(0L, (long)(await leases.ExecuteScalarAsync())!);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string bearer)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", bearer);
        return _host!.Client.SendAsync(request);
    }
}
