using System.Text.Json;
using Aria.Client;
using AriaBot.Changes;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AriaBot.Tests.ScaleOut;

/// <summary>
/// Two assistant instances over one PostgreSQL database. A turn on instance A records its write as pending, then stalls
/// past its conversation lease; instance B takes the conversation over. When A wakes up it must not send the write to
/// Aria: B may already have settled the pending record by reading the account. The check is one round trip right
/// before the call (<see cref="TurnFence.ConfirmHeldAsync"/>, used by <see cref="ChangeWriter"/>).
/// </summary>
public sealed class StalledWriteTests : IAsyncLifetime
{
    private const string PostgresSkipReason = "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).";
    private static readonly string? Postgres = Environment.GetEnvironmentVariable("ARIABOT_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    private readonly string _database = "stalled_write_" + Guid.NewGuid().ToString("N")[..12];
    private string? _connectionString;
    private AssistantTestHost? _a;
    private AssistantTestHost? _b;

    public async Task InitializeAsync()
    {
        if (Postgres is null)
        {
            return;
        }
        await using var admin = NpgsqlDataSource.Create(Postgres);
        await using (var create = admin.CreateCommand($"CREATE DATABASE {_database}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        _connectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString;
        var settings = new Dictionary<string, string?> { ["State:Provider"] = "Postgres", ["State:PostgresConnectionString"] = _connectionString };
        _a = new AssistantTestHost(settings, services => services.AddSingleton<StallAfterRecord>()
            .AddSingleton<IWriteLedger>(sp => sp.GetRequiredService<StallAfterRecord>()));
        _b = new AssistantTestHost(settings);
    }

    public async Task DisposeAsync()
    {
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        if (Postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(Postgres);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static readonly BindingKey Key = new(Channels.Webchat, "convo-stalled", "user1");

    /// <summary>A write whose "Aria call" only counts: what matters is whether it is made at all.</summary>
    private static WriteOrder Order(string receiptId, Action sent) => new()
    {
        ReceiptId = receiptId,
        Kind = "replacePlan",
        AriaCall = "replace_acct_plan_m",
        AccountNo = 1000001,
        Request = JsonSerializer.SerializeToElement(new { acct_no = 1000001, new_plan_no = 13 }),
        Description = "switch from Standard to Premium",
        SendAsync = _ =>
        {
            sent();
            return Task.FromResult(AriaResult<ChangeApplied>.Success(new ChangeApplied(null)));
        },
    };

    [SkippableFact]
    public async Task A_turn_whose_lease_was_taken_over_by_another_instance_after_recording_its_write_never_sends_it()
    {
        Skip.If(Postgres is null, PostgresSkipReason);
        var sent = 0;
        ConversationLocks.TurnLease? taken = null;
        var stall = _a!.Services.GetRequiredService<StallAfterRecord>();
        stall.AfterRecorded = async intent =>
        {
            // Instance A stalls here (a long GC pause, a frozen VM) until its lease runs out; B's next turn takes over.
            await using (var database = NpgsqlDataSource.Create(_connectionString!))
            await using (var expire = database.CreateCommand("UPDATE bot_state_leases SET expires_at = '-infinity' WHERE conversation = $1"))
            {
                expire.Parameters.AddWithValue(intent.ConversationKey);
                Assert.Equal(1, await expire.ExecuteNonQueryAsync());
            }
            taken = await _b!.Services.GetRequiredService<ConversationLocks>().TryAcquireAsync(intent.ConversationKey, TimeSpan.FromSeconds(30), default);
            Assert.NotNull(taken?.Fence);
        };

        LeaseLostException? refused = null;
        await _a.RunTurnAsync(Key, async turn =>
        {
            await using var lease = await _a.Services.GetRequiredService<ConversationLocks>().TryAcquireAsync(turn.Activity.ConversationKey, TimeSpan.FromSeconds(30), default);
            Assert.NotNull(lease?.Fence);
            TurnFence.Enter(lease.Fence);
            refused = await Assert.ThrowsAsync<LeaseLostException>(() => _a.Services.GetRequiredService<ChangeWriter>().WriteOnceAsync(turn, Order("receipt-stalled", () => sent++), default));
        }, withLedger: false);

        Assert.NotNull(refused);
        Assert.Equal(0, sent);
        // The record stays pending, open for B's turn (which now holds the conversation) to settle by reading the account.
        var ledgerOnB = _b!.Services.GetRequiredService<IWriteLedger>();
        Assert.Equal(WriteIntentStatus.Pending, (await ledgerOnB.GetAsync("receipt-stalled"))!.Status);
        Assert.Contains("receipt-stalled", (await ledgerOnB.OpenForConversationAsync($"{Key.ChannelId}/{Key.ConversationId}")).Select(intent => intent.Id));
        await taken!.DisposeAsync();
    }

    [SkippableFact]
    public async Task A_turn_that_still_holds_its_lease_sends_its_write_once()
    {
        Skip.If(Postgres is null, PostgresSkipReason);
        var sent = 0;
        WriteResult? result = null;
        await _a!.RunTurnAsync(Key, async turn =>
        {
            await using var lease = await _a.Services.GetRequiredService<ConversationLocks>().TryAcquireAsync(turn.Activity.ConversationKey, TimeSpan.FromSeconds(30), default);
            Assert.NotNull(lease?.Fence);
            TurnFence.Enter(lease.Fence);
            result = await _a.Services.GetRequiredService<ChangeWriter>().WriteOnceAsync(turn, Order("receipt-held", () => sent++), default);
        }, withLedger: false);

        Assert.Equal(1, sent);
        Assert.Equal(WriteEnding.Applied, result!.Ending);
        Assert.Equal(WriteIntentStatus.Committed, (await _b!.Services.GetRequiredService<IWriteLedger>().GetAsync("receipt-held"))!.Status);
    }

    /// <summary>The host's real write ledger, with a hook that runs right after a write was recorded as pending.</summary>
    private sealed class StallAfterRecord(IStorage storage, TimeProvider timeProvider) : IWriteLedger
    {
        private readonly StorageWriteLedger _inner = new(storage, timeProvider);

        public Func<WriteIntent, Task>? AfterRecorded { get; set; }

        public Task<bool> RecordPendingAsync(WriteIntent intent, CancellationToken cancellationToken = default) => _inner.RecordPendingAsync(intent, cancellationToken);

        public async Task<bool> RecordPendingAsync(WriteIntent intent, ITurnContext turn, CancellationToken cancellationToken = default)
        {
            var recorded = await _inner.RecordPendingAsync(intent, turn, cancellationToken);
            if (recorded && AfterRecorded is { } hook)
            {
                await hook(intent);
            }
            return recorded;
        }

        public Task<IReadOnlyList<WriteIntent>> OpenForTurnAsync(ITurnContext turn, CancellationToken cancellationToken = default) => _inner.OpenForTurnAsync(turn, cancellationToken);

        public Task<bool> TryCompleteAsync(string id, WriteIntentStatus status, string? outcome, bool customerTold, CancellationToken cancellationToken = default) =>
            _inner.TryCompleteAsync(id, status, outcome, customerTold, cancellationToken);

        public Task MarkToldAsync(string id, CancellationToken cancellationToken = default) => _inner.MarkToldAsync(id, cancellationToken);

        public Task<WriteIntent?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<WriteIntent>> OpenForConversationAsync(string conversationKey, CancellationToken cancellationToken = default) =>
            _inner.OpenForConversationAsync(conversationKey, cancellationToken);

        public Task<IReadOnlyList<WriteIntent>> AllOpenAsync(CancellationToken cancellationToken = default) => _inner.AllOpenAsync(cancellationToken);
    }
}
