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

    /// <summary>At most this many announcements per statement (each payload is under 200 bytes).</summary>
    private const int MaxBatch = 256;

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
        NpgsqlCommand? notify = null;
        var batch = new List<string>(MaxBatch);
        try
        {
            while (await bus.Outgoing.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (connection is null)
                    {
                        connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                        // One prepared statement for the connection's life: a turn announces twice or more (the echo,
                        // each reply), so parsing and planning it each time was a cost on the database per message.
                        notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', m) FROM unnest($1::text[]) AS m", connection);
                        notify.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
                        await notify.PrepareAsync(stoppingToken).ConfigureAwait(false);
                    }
                    // Everything queued goes in one statement (one transaction): under load a round trip carries many
                    // announcements, each still its own notification in the order queued, so other instances (of
                    // either version) read them as before. PostgreSQL drops a repeat of the same message within one
                    // transaction, and a repeat says nothing the first did not.
                    if (batch.Count == 0)
                    {
                        while (batch.Count < MaxBatch && bus.Outgoing.TryRead(out var message))
                        {
                            batch.Add($"{_instance}|{message}");
                        }
                    }
                    if (batch.Count == 0)
                    {
                        continue;
                    }
                    ((NpgsqlParameter<string[]>)notify!.Parameters[0]).TypedValue = [.. batch];
                    await notify.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    batch.Clear();
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    // The other instances' keep-alive tick still finds the reply; reconnect for the next one.
                    LogNotifyFailed(logger, exception);
                    // The batch that failed is dropped with the connection (the keep-alive tick covers it), never resent forever.
                    batch.Clear();
                    if (notify is not null)
                    {
                        await notify.DisposeAsync().ConfigureAwait(false);
                        notify = null;
                    }
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
            if (notify is not null)
            {
                await notify.DisposeAsync().ConfigureAwait(false);
            }
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
