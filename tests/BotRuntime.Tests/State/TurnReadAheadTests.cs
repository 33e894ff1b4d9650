using System.Text.Json;
using BotRuntime.State;

namespace BotRuntime.Tests.State;

/// <summary>
/// <see cref="TurnReadAhead.Adopt"/> (issue 22, x/sqlite4): a store that builds the read-ahead's dictionary for it alone
/// hands it over instead of having it copied once more per turn; the rules stay those of a copy (ordinal keys, served
/// once, forgotten on write).
/// </summary>
public sealed class TurnReadAheadTests
{
    private static readonly object Store = new();

    private static StoreItem Item(int v) => new(JsonSerializer.SerializeToElement(new { v }), $"e{v}", null);

    [Fact]
    public void An_adopted_ordinal_dictionary_is_not_copied_and_is_served_once()
    {
        var items = new Dictionary<string, StoreItem?>(StringComparer.Ordinal) { ["state"] = Item(1), ["binding"] = null };
        TurnReadAhead.Adopt(Store, items);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var readAhead = TurnReadAhead.Adopt(Store, items);
        // The read-ahead object and its lock, no dictionary: a copy of even two entries is several times that.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 1, 120);

        Assert.Null(readAhead.TryServe(new object(), ["state"]));
        var served = readAhead.TryServe(Store, ["state", "binding"]);
        Assert.NotNull(served);
        Assert.Equal("e1", Assert.Single(served).Value.ETag);
        Assert.Null(readAhead.TryServe(Store, ["state"]));
        Assert.Equal(0, readAhead.Unserved);
    }

    [Fact]
    public void A_dictionary_that_ignores_case_is_copied_with_ordinal_keys()
    {
        var items = new Dictionary<string, StoreItem?>(StringComparer.OrdinalIgnoreCase) { ["State"] = Item(1) };
        var readAhead = TurnReadAhead.Adopt(Store, items);
        // Another key, though the given dictionary would have matched it: a key is served only to a read of exactly it.
        Assert.Null(readAhead.TryServe(Store, ["state"]));
        readAhead.Forget(["STATE"]);
        Assert.Equal(1, readAhead.Unserved);
        Assert.NotNull(readAhead.TryServe(Store, ["State"]));
    }

    [Fact]
    public void One_key_is_served_once_to_its_own_store_absent_as_null_and_a_key_not_read_is_not_served()
    {
        var readAhead = TurnReadAhead.Adopt(Store, new Dictionary<string, StoreItem?>(StringComparer.Ordinal) { ["state"] = Item(1), ["binding"] = null });

        Assert.False(readAhead.TryServeOne(new object(), "state", out _));
        Assert.False(readAhead.TryServeOne(Store, "other", out _));
        Assert.False(readAhead.TryServeOne(Store, "STATE", out _));
        Assert.True(readAhead.TryServeOne(Store, "state", out var state));
        Assert.Equal("e1", state!.ETag);
        Assert.False(readAhead.TryServeOne(Store, "state", out _));
        Assert.True(readAhead.TryServeOne(Store, "binding", out var binding));
        Assert.Null(binding);
        Assert.Equal(0, readAhead.Unserved);
    }
}
