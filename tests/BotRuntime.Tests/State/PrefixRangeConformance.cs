using System.Text.Json;
using BotRuntime.State;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// Prefix reads are ranges on the ordered key with an upper bound (the prefix with its last character incremented).
/// Every store must still return exactly the keys that start with the prefix: keys right at and just above the bound
/// ("a0", "a00"), keys under the prefix whose next character is the largest there is ("a/\uffff"), non-ASCII and
/// surrogate-pair keys, and prefixes for which no bound is safe (ending in U+FFFF, empty).
/// </summary>
public abstract class PrefixRangeConformance : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected IStorage Storage { get; private set; } = null!;

    protected abstract IStorage CreateStorage();

    protected virtual string? UnavailableReason => null;

    public virtual Task InitializeAsync()
    {
        Storage = CreateStorage();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] Keys =
    [
        "a", "a.", "a/", "a/x", "a/x/y", "a/\uffff", "a/\uffff\uffff", "a/\U0001F600", "a/é", "a0", "a00", "a0/x", "b",
        "é/1", "é/2", "é0", "ê", "z\ufffe", "z\uffff", "z\uffffa", "z\uffff\uffff", "{",
        "\U0001F600/1", "\U0001F600/2", "\U0001F601",
        "intents-open/test/c1/i1", "intents-open/test/c1/i2", "intents-open/test/c10/i3", "intents-open/test/c1-x/i4", "intents-open/test/c2/i5",
    ];

    private async Task WriteAllAsync()
    {
        var changes = Keys.ToDictionary(key => key, key => new StoreWrite(JsonSerializer.SerializeToElement(new { key }), null));
        await Storage.WriteAsync(changes);
    }

    public static TheoryData<string> Prefixes => new()
    {
        "a/", "a", "a0", "a/\uffff", "é/", "é", "z\uffff", "z", "\U0001F600/", "\U0001F600", "\ud83d",
        "intents-open/test/c1/", "intents-open/test/c1", "intents-open/", "nothing/", "~", string.Empty,
    };

    [SkippableTheory]
    [MemberData(nameof(Prefixes))]
    public async Task A_prefix_read_returns_exactly_the_keys_with_the_prefix(string prefix)
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        if (prefix.Length > 0 && char.IsHighSurrogate(prefix[^1]))
        {
            // A lone surrogate is not text SQLite or PostgreSQL can hold; only the in-memory store is asked.
            Skip.IfNot(Storage is MemoryStorage, "a lone surrogate is not storable text");
        }
        await WriteAllAsync();

        var read = await Storage.ReadPrefixAsync(prefix, 1000);

        var expected = Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), read.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, read.Select(pair => pair.Key).Distinct().Count());
        Assert.All(read, pair => Assert.Equal(pair.Key, pair.Value.Document.GetProperty("key").GetString()));
    }

    [SkippableFact]
    public async Task A_limited_prefix_read_takes_the_first_keys_and_skips_expired_ones()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await WriteAllAsync();
        await Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["a/a"] = new(JsonSerializer.SerializeToElement(new { key = "a/a" }), null, Clock.GetUtcNow().AddMinutes(1)) });
        Assert.Equal(["a/", "a/a", "a/x"], (await Storage.ReadPrefixAsync("a/", 3)).Select(pair => pair.Key));

        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["a/", "a/x", "a/x/y"], (await Storage.ReadPrefixAsync("a/", 3)).Select(pair => pair.Key));
    }

    [SkippableFact]
    public async Task Deleted_keys_leave_the_prefix_and_rewritten_ones_stay_once()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await WriteAllAsync();
        await Storage.DeleteAsync(["intents-open/test/c1/i1"]);
        await Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["intents-open/test/c1/i2"] = new(JsonSerializer.SerializeToElement(new { key = "intents-open/test/c1/i2" }), StoreWrite.AnyETag) });

        Assert.Equal(["intents-open/test/c1/i2"], (await Storage.ReadPrefixAsync("intents-open/test/c1/", 10)).Select(pair => pair.Key));
        await Storage.DeleteAsync(["intents-open/test/c1/i2"]);
        Assert.Empty(await Storage.ReadPrefixAsync("intents-open/test/c1/", 10));
        Assert.Equal(["intents-open/test/c10/i3"], (await Storage.ReadPrefixAsync("intents-open/test/c10", 10)).Select(pair => pair.Key));
    }
}

public sealed class MemoryPrefixRangeConformance : PrefixRangeConformance
{
    protected override IStorage CreateStorage() => new MemoryStorage(Clock);
}

public sealed class SqlitePrefixRangeConformance : PrefixRangeConformance
{
    private readonly SqliteTestFile _file = new("ariabot-prefix");

    // Every store a test made (the first, and any "second process") is disposed when it ends.
    protected override IStorage CreateStorage() => _file.Open(Clock);

    public override async Task DisposeAsync() => await _file.DisposeAsync();
}

public sealed class PostgresPrefixRangeConformance : PrefixRangeConformance
{
    private readonly string _table = $"prefix_{Guid.NewGuid():N}";
    private Npgsql.NpgsqlDataSource? _dataSource;

    public override async Task InitializeAsync()
    {
        if (PostgresTestDatabase.ConnectionString is { } connectionString)
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
}
