using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The behaviour every <see cref="IStorage"/> must have. Each implementation gets a subclass; a new store
/// (PostgreSQL, …) is done when its subclass passes unchanged.
/// </summary>
public abstract class StorageConformance : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected IStorage Storage { get; private set; } = null!;

    /// <summary>A store over the same backing data, as a second process would see it.</summary>
    protected abstract IStorage CreateStorage();

    /// <summary>Why this store cannot be tested here, or null when it can.</summary>
    protected virtual string? UnavailableReason => null;

    protected void SkipWhenUnavailable() => Skip.If(UnavailableReason is not null, UnavailableReason);

    public virtual Task InitializeAsync()
    {
        Storage = CreateStorage();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>True to make the suite's writes with <see cref="StoreWrite.Of{T}"/> (UTF-8 bytes, not an element).</summary>
    protected virtual bool WritesUtf8 => false;

    private Dictionary<string, StoreWrite> One(string key, object value, string? eTag, DateTimeOffset? expiresAt = null) =>
        new() { [key] = WritesUtf8 ? StoreWrite.Of(value, JsonSerializerOptions.Default, eTag, expiresAt) : new StoreWrite(JsonSerializer.SerializeToElement(value), eTag, expiresAt) };

    [SkippableFact]
    public async Task Reading_missing_keys_returns_nothing_for_them()
    {
        SkipWhenUnavailable();
        await Storage.WriteAsync(One("present", new { n = 1 }, null));
        var items = await Storage.ReadAsync(["present", "absent"]);
        Assert.Equal(["present"], items.Keys);
    }

    [SkippableFact]
    public async Task A_written_document_reads_back_exactly_with_its_etag()
    {
        SkipWhenUnavailable();
        var document = new { text = "héllo \"world\" ✓ 😀", amount = 12.50m, big = 9007199254740993L, nested = new { list = new[] { 1, 2, 3 }, flag = true, none = (string?)null } };
        var written = await Storage.WriteAsync(One("k", document, null));
        var read = (await Storage.ReadAsync(["k"]))["k"];
        Assert.Equal(written["k"], read.ETag);
        Assert.Equal(JsonSerializer.Serialize(document), read.Document.GetRawText());
    }

    [SkippableFact]
    public async Task Create_only_write_fails_when_the_key_exists_and_changes_nothing()
    {
        SkipWhenUnavailable();
        await Storage.WriteAsync(One("k", new { v = 1 }, null));
        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(One("k", new { v = 2 }, null)));
        Assert.Equal("k", conflict.Key);
        Assert.Equal(1, (await Storage.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
    }

    [SkippableFact]
    public async Task Write_with_the_current_etag_succeeds_and_issues_a_new_one()
    {
        SkipWhenUnavailable();
        var first = (await Storage.WriteAsync(One("k", new { v = 1 }, null)))["k"];
        var second = (await Storage.WriteAsync(One("k", new { v = 2 }, first)))["k"];
        Assert.NotEqual(first, second);
        Assert.Equal(2, (await Storage.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
    }

    [SkippableFact]
    public async Task Write_with_a_stale_etag_is_a_conflict_and_keeps_the_newer_document()
    {
        SkipWhenUnavailable();
        var first = (await Storage.WriteAsync(One("k", new { v = 1 }, null)))["k"];
        await Storage.WriteAsync(One("k", new { v = 2 }, first));
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(One("k", new { v = 3 }, first)));
        Assert.Equal(2, (await Storage.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
    }

    [SkippableFact]
    public async Task Write_with_an_etag_for_an_absent_key_is_a_conflict()
    {
        SkipWhenUnavailable();
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(One("k", new { v = 1 }, "some-etag")));
        Assert.Empty(await Storage.ReadAsync(["k"]));
    }

    [SkippableFact]
    public async Task Star_etag_forces_the_write_whether_or_not_the_key_exists()
    {
        SkipWhenUnavailable();
        await Storage.WriteAsync(One("k", new { v = 1 }, StoreWrite.AnyETag));
        await Storage.WriteAsync(One("k", new { v = 2 }, StoreWrite.AnyETag));
        Assert.Equal(2, (await Storage.ReadAsync(["k"]))["k"].Document.GetProperty("v").GetInt32());
    }

    [SkippableFact]
    public async Task A_multi_key_write_with_one_conflict_writes_nothing()
    {
        SkipWhenUnavailable();
        await Storage.WriteAsync(One("taken", new { v = 1 }, null));
        var changes = new Dictionary<string, StoreWrite>
        {
            ["fresh"] = new(JsonSerializer.SerializeToElement(new { v = 1 }), null),
            ["taken"] = WritesUtf8 ? StoreWrite.Of(new { v = 2 }, JsonSerializerOptions.Default, null) : new(JsonSerializer.SerializeToElement(new { v = 2 }), null),
        };
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(changes));
        var items = await Storage.ReadAsync(["fresh", "taken"]);
        Assert.False(items.ContainsKey("fresh"));
        Assert.Equal(1, items["taken"].Document.GetProperty("v").GetInt32());
    }

    [SkippableFact]
    public async Task Delete_removes_keys_and_ignores_missing_ones()
    {
        SkipWhenUnavailable();
        await Storage.WriteAsync(One("a", new { }, null));
        await Storage.DeleteAsync(["a", "never-there"]);
        Assert.Empty(await Storage.ReadAsync(["a"]));
        // A deleted key can be created again.
        await Storage.WriteAsync(One("a", new { again = true }, null));
    }

    [SkippableFact]
    public async Task Prefix_reads_are_ordered_limited_and_exact_about_the_prefix()
    {
        SkipWhenUnavailable();
        foreach (var key in new[] { "conv/b", "conv/a", "conv/c", "conversation/x", "con" })
        {
            await Storage.WriteAsync(One(key, new { key }, null));
        }
        var page = await Storage.ReadPrefixAsync("conv/", 2);
        Assert.Equal(["conv/a", "conv/b"], page.Select(p => p.Key));
        var all = await Storage.ReadPrefixAsync("conv/", 100);
        Assert.Equal(["conv/a", "conv/b", "conv/c"], all.Select(p => p.Key));
    }

    [SkippableFact]
    public async Task Expired_items_are_invisible_can_be_created_again_and_are_purged()
    {
        SkipWhenUnavailable();
        await Storage.WriteAsync(One("short", new { v = 1 }, null, Clock.GetUtcNow().AddMinutes(10)));
        await Storage.WriteAsync(One("long", new { v = 1 }, null, Clock.GetUtcNow().AddHours(10)));
        await Storage.WriteAsync(One("forever", new { v = 1 }, null));
        Assert.Single(await Storage.ReadAsync(["short"]));

        Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Empty(await Storage.ReadAsync(["short"]));
        Assert.DoesNotContain(await Storage.ReadPrefixAsync("sh", 10), p => p.Key == "short");
        await Storage.WriteAsync(One("short", new { v = 2 }, null)); // create-only succeeds over an expired item

        Clock.Advance(TimeSpan.FromHours(11));
        Assert.Equal(1, await Storage.PurgeExpiredAsync());
        Assert.Equal(["forever", "short"], (await Storage.ReadAsync(["short", "long", "forever"])).Keys.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Concurrent_writers_with_the_same_etag_exactly_one_wins()
    {
        SkipWhenUnavailable();
        var start = (await Storage.WriteAsync(One("contended", new { winner = -1 }, null)))["contended"];
        var writers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await Storage.WriteAsync(One("contended", new { winner = i }, start));
                return true;
            }
            catch (StorageConflictException)
            {
                return false;
            }
        })).ToList();
        var results = await Task.WhenAll(writers);
        Assert.Equal(1, results.Count(won => won));
        var winner = Array.IndexOf(results, true);
        Assert.Equal(winner, (await Storage.ReadAsync(["contended"]))["contended"].Document.GetProperty("winner").GetInt32());
    }

    [SkippableFact]
    public async Task Concurrent_creators_of_one_key_exactly_one_wins()
    {
        SkipWhenUnavailable();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await Storage.TryCreateAsync("claim", new { by = i }) is not null)));
        Assert.Equal(1, results.Count(won => won));
    }

    [SkippableFact]
    public async Task Typed_helpers_round_trip_a_record_with_its_etag()
    {
        SkipWhenUnavailable();
        var eTag = await Storage.WriteAsync("typed", new Sample("gold", 3, [new DateOnly(2026, 11, 25)]), eTag: null);
        var stored = await Storage.ReadAsync<Sample>("typed");
        Assert.NotNull(stored);
        Assert.Equal(eTag, stored.ETag);
        Assert.Equal("gold", stored.Value.Plan);
        Assert.Equal(3, stored.Value.Units);
        Assert.Equal([new DateOnly(2026, 11, 25)], stored.Value.Dates);
    }

    public sealed record Sample(string Plan, int Units, List<DateOnly> Dates);
}

public class MemoryStorageConformance : StorageConformance
{
    protected override IStorage CreateStorage() => new MemoryStorage(Clock);
}

public class SqliteStorageConformance : StorageConformance
{
    private readonly SqliteTestFile _file = new("ariabot-conformance");

    // Every store a test made (the first, and any "second process") is disposed when it ends.
    protected override IStorage CreateStorage() => _file.Open(Clock);

    public override async Task DisposeAsync() => await _file.DisposeAsync();

    [Fact]
    public async Task Two_instances_on_one_file_see_each_others_writes_and_conflicts()
    {
        var other = CreateStorage(); // as another process would open it
        var eTag = (await Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["shared"] = new(JsonSerializer.SerializeToElement(new { v = 1 }), null) }))["shared"];
        Assert.Equal(eTag, (await other.ReadAsync(["shared"]))["shared"].ETag);
        await other.WriteAsync(new Dictionary<string, StoreWrite> { ["shared"] = new(JsonSerializer.SerializeToElement(new { v = 2 }), eTag) });
        await Assert.ThrowsAsync<StorageConflictException>(() =>
            Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["shared"] = new(JsonSerializer.SerializeToElement(new { v = 3 }), eTag) }));
    }

    [Fact]
    public async Task Concurrent_writers_across_instances_exactly_one_wins()
    {
        var start = (await Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["x"] = new(JsonSerializer.SerializeToElement(0), null) }))["x"];
        var stores = Enumerable.Range(0, 8).Select(_ => CreateStorage()).ToList();
        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            try
            {
                await store.WriteAsync(new Dictionary<string, StoreWrite> { ["x"] = new(JsonSerializer.SerializeToElement(i), start) });
                return true;
            }
            catch (StorageConflictException)
            {
                return false;
            }
        })));
        Assert.Equal(1, results.Count(won => won));
    }
}

/// <summary>
/// Runs against the PostgreSQL that <c>./test.sh</c> starts (connection string in <c>ARIABOT_TEST_POSTGRES</c>);
/// each instance works in its own table so runs never see each other.
/// </summary>
public class PostgresStorageConformance : StorageConformance
{
    private readonly string _table = $"conformance_{Guid.NewGuid():N}";
    private Npgsql.NpgsqlDataSource? _dataSource;

    public override async Task InitializeAsync()
    {
        var connectionString = PostgresTestDatabase.ConnectionString;
        if (connectionString is not null)
        {
            _dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
            await base.InitializeAsync();
        }
    }

    protected override IStorage CreateStorage() => new PostgresStorage(_dataSource!, Clock, _table);

    protected override string? UnavailableReason => PostgresTestDatabase.ConnectionString is null ? PostgresTestDatabase.SkipReason : null;

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await using (var drop = _dataSource.CreateCommand($"DROP TABLE IF EXISTS {_table}"))
            {
                await drop.ExecuteNonQueryAsync();
            }
            await _dataSource.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Concurrent_writers_across_instances_exactly_one_wins()
    {
        SkipWhenUnavailable();
        var start = (await Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["x"] = new(JsonSerializer.SerializeToElement(0), null) }))["x"];
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var store = new PostgresStorage(Npgsql.NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString!), Clock, _table);
            try
            {
                await store.WriteAsync(new Dictionary<string, StoreWrite> { ["x"] = new(JsonSerializer.SerializeToElement(i), start) });
                return true;
            }
            catch (StorageConflictException)
            {
                return false;
            }
        })));
        Assert.Equal(1, results.Count(won => won));
    }

    [SkippableFact]
    public async Task A_database_that_is_not_there_at_first_is_used_once_it_is_without_a_restart()
    {
        SkipWhenUnavailable();
        // A store started before its database exists (a server still coming up): the first call fails, a later one works.
        var database = $"late_{Guid.NewGuid():N}";
        var late = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString!) { Database = database, Pooling = false };
        await using var lateSource = Npgsql.NpgsqlDataSource.Create(late.ConnectionString);
        var store = new PostgresStorage(lateSource, Clock, _table);
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => store.ReadAsync(["k"]));

        await using (var create = _dataSource!.CreateCommand($"CREATE DATABASE {database}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            await store.WriteAsync(new Dictionary<string, StoreWrite> { ["k"] = new(JsonSerializer.SerializeToElement(1), null) });
            Assert.Equal(1, (await store.ReadAsync(["k"]))["k"].Document.GetInt32());
        }
        finally
        {
            await using var drop = _dataSource!.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }
}

internal static class PostgresTestDatabase
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("ARIABOT_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    public const string SkipReason = "PostgreSQL tests did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL and sets it).";
}
