using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.State;
using Npgsql;

namespace BotRuntime.Tests.State;

/// <summary>
/// A rolling deploy runs the previous version and this one over one database at once. The state table and the
/// documents in it are unchanged, so each reads what the other wrote and their eTags still guard each other's writes.
/// The previous version is played here by its own SQL, statement for statement (one transaction: SELECT … FOR UPDATE,
/// then INSERT or UPDATE), on rows recorded in today's shapes.
/// </summary>
public sealed class PostgresRollingDeployTests() : OwnPostgresTable("rolling")
{
    /// <summary>A finished turn's delivery record as the previous version stored it.</summary>
    private const string RecordedDelivery =
        """{"status":"done","httpStatus":200,"body":{"activities":[{"type":"message","text":"Your plan is now Premium."}]},"startedAt":"2026-12-06T12:00:00+00:00","incarnation":"0f4d2a8c9b7e4c1aa3d5e6f708192a3b","leaseUntil":null,"interrupted":false,"reference":null}""";

    /// <summary>Conversation state as the previous version stored it (a dialog stack mid-flow).</summary>
    private const string RecordedConversation =
        """{"DialogState":{"dialogStack":[{"id":"SwitchPlanDialog.v2","state":{"stepIndex":2,"options":null,"values":{"previewId":"p-123"}}}]},"Shell":{"lastActiveAt":"2026-12-06T12:00:00+00:00"},"eTag":"*"}""";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (DataSource is not null)
        {
            // The previous version's schema, exactly.
            await using var create = DataSource.CreateCommand($"""
                CREATE TABLE IF NOT EXISTS {Table} (
                    key        text COLLATE "C" PRIMARY KEY,
                    etag       text        NOT NULL,
                    document   text        NOT NULL,
                    expires_at timestamptz NULL
                );
                CREATE INDEX IF NOT EXISTS ix_{Table}_expires ON {Table} (expires_at) WHERE expires_at IS NOT NULL;
                """);
            await create.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The previous version's conditional write of one key; false when its eTag check failed.</summary>
    private async Task<string?> PreviousVersionWriteAsync(string key, string document, string? expectedETag)
    {
        await using var connection = await DataSource!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        string? current = null;
        var exists = false;
        await using (var select = new NpgsqlCommand($"SELECT etag, expires_at FROM {Table} WHERE key = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue(key);
            await using var reader = await select.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                exists = true;
                current = reader.GetString(0);
            }
        }
        if ((expectedETag is null && exists) || (expectedETag is not null && expectedETag != "*" && expectedETag != current))
        {
            return null;
        }
        var eTag = Guid.NewGuid().ToString("N");
        await using var write = new NpgsqlCommand(exists
            ? $"UPDATE {Table} SET etag = $2, document = $3, expires_at = $4 WHERE key = $1"
            : $"INSERT INTO {Table} (key, etag, document, expires_at) VALUES ($1, $2, $3, $4)", connection, transaction);
        write.Parameters.AddWithValue(key);
        write.Parameters.AddWithValue(eTag);
        write.Parameters.AddWithValue(document);
        write.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = null });
        await write.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return eTag;
    }

    private async Task<(string ETag, string Document)?> PreviousVersionReadAsync(string key)
    {
        await using var command = DataSource!.CreateCommand($"SELECT etag, document FROM {Table} WHERE key = ANY($1) AND (expires_at IS NULL OR expires_at > $2)");
        command.Parameters.AddWithValue(new[] { key });
        command.Parameters.AddWithValue(TimeProvider.System.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    [SkippableFact]
    public async Task What_the_previous_version_wrote_is_read_and_guarded_by_this_one()
    {
        RequireDatabase();
        var oldDeliveryETag = await PreviousVersionWriteAsync("deliveries/directline/c1/c1|1", RecordedDelivery, null);
        var oldConversationETag = await PreviousVersionWriteAsync("directline/conversations/c1", RecordedConversation, null);
        var store = new PostgresStorage(PostgresStorage.CreateDataSource(PostgresTestDatabase.ConnectionString!), TimeProvider.System, Table);

        var delivery = await store.ReadAsync<TurnProcessor.DeliveryRecord>("deliveries/directline/c1/c1|1");
        Assert.NotNull(delivery);
        Assert.Equal(oldDeliveryETag, delivery.ETag);
        Assert.Equal("done", delivery.Value.Status);
        Assert.Equal("Your plan is now Premium.", delivery.Value.Body!.Value.GetProperty("activities")[0].GetProperty("text").GetString());
        var conversation = (await store.ReadAsync(["directline/conversations/c1"]))["directline/conversations/c1"];
        Assert.Equal(JsonDocument.Parse(RecordedConversation).RootElement.GetRawText(), conversation.Document.GetRawText());

        // Its eTag is honoured by this version's conditional write, and a stale one is refused.
        var updated = JsonSerializer.SerializeToElement(new { DialogState = new { dialogStack = Array.Empty<object>() } });
        var newETag = await store.WriteAsync("directline/conversations/c1", updated, oldConversationETag);
        await Assert.ThrowsAsync<StorageConflictException>(() => store.WriteAsync("directline/conversations/c1", updated, oldConversationETag));

        // And the previous version reads this version's write and guards it with the eTag it sees.
        var seen = await PreviousVersionReadAsync("directline/conversations/c1");
        Assert.Equal(newETag, seen!.Value.ETag);
        Assert.Equal(updated.GetRawText(), seen.Value.Document);
        Assert.Null(await PreviousVersionWriteAsync("directline/conversations/c1", RecordedConversation, oldConversationETag));
        Assert.NotNull(await PreviousVersionWriteAsync("directline/conversations/c1", RecordedConversation, newETag));
        await Assert.ThrowsAsync<StorageConflictException>(() => store.WriteAsync("directline/conversations/c1", updated, newETag));
    }
}
