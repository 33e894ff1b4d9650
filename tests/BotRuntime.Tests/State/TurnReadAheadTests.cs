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
}
