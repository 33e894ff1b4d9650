using BotRuntime.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotRuntime.DirectLine;

/// <summary>
/// Carries "a conversation's log grew" between instances over PostgreSQL <c>LISTEN/NOTIFY</c>, so a WebSocket open on
/// one instance hears a reply written by another at once instead of on its keep-alive tick. LISTEN is session state:
/// the listener keeps one dedicated connection (its own, outside the pool, never reset), which needs a direct
/// connection or session pooling — behind a transaction-pooling PgBouncer it would hear nothing (docs/scale-out.md).
/// The notification carries only the sender's instance id, the conversation id and what happened (the log grew, the bot
/// is typing, a logged activity was replaced: <see cref="DirectLinePushBus"/>), never an activity: the receiving stream
/// reads the log, which stays the one truth. Runs only when <c>State:Provider</c> is <c>Postgres</c>.
/// </summary>
public sealed partial class PostgresDirectLinePush(
    DirectLinePushBus bus,
    DirectLineStreams streams,
    IOptions<StateOptions> state,
    ILogger<PostgresDirectLinePush> logger) : BackgroundService
{
    /// <summary>The notification channel (a PostgreSQL identifier).</summary>
    public const string Channel = "ariabot_directline";

    private readonly string _instance = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (state.Value.Provider != "Postgres" || string.IsNullOrWhiteSpace(state.Value.PostgresConnectionString))
        {
            return;
        }
        bus.Enable();
        // Dedicated: pooling off (LISTEN must stay on this session) and keep-alives so a dead link is noticed.
        var builder = new NpgsqlConnectionStringBuilder(state.Value.PostgresConnectionString) { Pooling = false, KeepAlive = 10 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var sending = SendAsync(dataSource, stoppingToken);
        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(dataSource, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The database away must not stop the host; streams fall back to the keep-alive tick meanwhile.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogListenFailed(logger, exception);
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        await sending.ConfigureAwait(false);
    }

    private async Task ListenAsync(NpgsqlDataSource dataSource, CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        connection.Notification += (_, notification) =>
        {
            var separator = notification.Payload.IndexOf('|', StringComparison.Ordinal);
            if (separator > 0 && !notification.Payload.AsSpan(0, separator).SequenceEqual(_instance))
            {
                DirectLinePushBus.Deliver(notification.Payload[(separator + 1)..], streams);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }
        // Whatever was announced while this connection was down was missed: every open stream looks at its log once.
        streams.WakeAll();
        while (true)
        {
            await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(NpgsqlDataSource dataSource, CancellationToken stoppingToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            while (await bus.Outgoing.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    connection ??= await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                    while (bus.Outgoing.TryRead(out var message))
                    {
                        await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
                        notify.Parameters.AddWithValue(Channel);
                        notify.Parameters.AddWithValue($"{_instance}|{message}");
                        await notify.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    // The other instances' keep-alive tick still finds the reply; reconnect for the next one.
                    LogNotifyFailed(logger, exception);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other instances' Direct Line appends failed; retrying (streams fall back to their keep-alive tick)")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing a Direct Line append to other instances failed; they will see it on their keep-alive tick")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
