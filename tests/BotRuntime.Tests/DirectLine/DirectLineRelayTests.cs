using System.Net.WebSockets;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.Tests.State;
using Microsoft.AspNetCore.TestHost;
using Npgsql;

namespace BotRuntime.Tests.DirectLine;

/// <summary>
/// Two Direct Line instances over one PostgreSQL database, a WebSocket open on instance B and every turn run on
/// instance A: B's socket hears A's replies, typing indicators and in-place updates, relayed over
/// <c>LISTEN/NOTIFY</c> (the keep-alive tick, which would also read the log, is set to ten minutes). Typing is never
/// logged and an update replaces an activity the socket already had, so only the relay can bring them.
/// </summary>
public sealed class DirectLineRelayTests : IAsyncLifetime
{
    private readonly string _database = "dl_relay_" + Guid.NewGuid().ToString("N")[..12];
    private string? _connectionString;

    public async Task InitializeAsync()
    {
        if (PostgresTestDatabase.ConnectionString is not { } admin)
        {
            return;
        }
        await using var source = NpgsqlDataSource.Create(admin);
        await using var create = source.CreateCommand($"CREATE DATABASE {_database}");
        await create.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _database }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (PostgresTestDatabase.ConnectionString is { } admin && _connectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var source = NpgsqlDataSource.Create(admin);
            await using var drop = source.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private Task<DirectLineTestHost> StartInstanceAsync() => DirectLineTestHost.StartAsync(new RelayBot(), new()
    {
        ["State:Provider"] = "Postgres",
        ["State:PostgresConnectionString"] = _connectionString,
        ["DirectLine:KeepAliveInterval"] = "00:10:00",
    });

    [SkippableFact]
    public async Task A_socket_on_one_instance_hears_replies_typing_and_updates_of_turns_run_on_the_other()
    {
        Skip.If(_connectionString is null, PostgresTestDatabase.SkipReason);
        await using var a = await StartInstanceAsync();
        await using var b = await StartInstanceAsync();
        await ListenersUpAsync(2);
        var (conversationId, token, started) = await a.StartConversationAsync();
        using var socket = await b.App.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);

        // A reply logged by A reaches B's socket (and proves B's listener is up before the rest).
        var hello = await a.PostAsync(conversationId, token, "hello");
        var (greeted, _) = await Collect(socket, activities => activities.Exists(activity => activity.ReplyToId == hello && activity.Text == "echo hello"));
        var reply = greeted.Single(activity => activity.ReplyToId == hello && activity.Text == "echo hello");

        // Typing on A: never logged, so only the relay can bring it to B.
        var typed = await a.PostAsync(conversationId, token, "type");
        var (afterTyping, _) = await Collect(socket, activities => activities.Exists(activity => activity.IsType(ActivityTypes.Typing)));
        var typing = afterTyping.Single(activity => activity.IsType(ActivityTypes.Typing));
        Assert.Equal("bot", typing.From?.Id);
        Assert.Equal(RoleTypes.Bot, typing.From?.Role);
        Assert.Null(typing.Text);

        // An update on A of a reply B's socket already had: the log read would not send it again, the relay does.
        await a.PostAsync(conversationId, token, "edit " + reply.Id);
        var (afterEdit, _) = await Collect(socket, activities => activities.Exists(activity => activity.Id == reply.Id));
        Assert.Equal("edited", afterEdit.Single(activity => activity.Id == reply.Id).Text);
        Assert.DoesNotContain(afterTyping.Concat(afterEdit), activity => activity.ReplyToId == typed && activity.IsType(ActivityTypes.Message));
    }

    /// <summary>Waits until <paramref name="count"/> sessions of the database have run <c>LISTEN</c> (each instance's relay).</summary>
    private async Task ListenersUpAsync(int count)
    {
        await using var source = NpgsqlDataSource.Create(_connectionString!);
        for (var i = 0; i < 300; i++)
        {
            await using var command = source.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The instances' Direct Line relays never started listening.");
    }

    private static Task<(List<Activity> Activities, string Watermark)> Collect(WebSocket socket, Func<List<Activity>, bool> done) =>
        DirectLineStreamTests.CollectAsync(socket, done);

    /// <summary>Echoes; "type" only types; "edit {id}" rewrites an earlier reply in place.</summary>
    private sealed class RelayBot : ActivityHandler
    {
        protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        {
            var text = turnContext.Activity.Text ?? "";
            if (text == "type")
            {
                await turnContext.SendActivityAsync(new Activity { Type = ActivityTypes.Typing }, cancellationToken);
                return;
            }
            if (text.StartsWith("edit ", StringComparison.Ordinal))
            {
                var changed = MessageFactory.Text("edited");
                changed.Id = text[5..];
                await turnContext.UpdateActivityAsync(changed, cancellationToken);
                return;
            }
            await turnContext.SendActivityAsync($"echo {text}", cancellationToken: cancellationToken);
        }
    }
}
