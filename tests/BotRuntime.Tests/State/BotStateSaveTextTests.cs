using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.State;

/// <summary>
/// The end-of-turn save writes its document in one pass (issue 22) instead of re-parsing every property into a
/// node tree each turn. What is stored must not change by a byte (stored JSON shapes stay compatible, and the
/// "changed?" test compares text), and a turn that changes nothing must still write nothing.
/// </summary>
public sealed class BotStateSaveTextTests
{
    private const string Key = "test/conversations/c1";
    private readonly MemoryStorage _storage = new(new FakeTimeProvider());
    private readonly ChannelAdapter _adapter = new([], new DefaultTurnErrorHandler(NullLogger<DefaultTurnErrorHandler>.Instance), new FakeTimeProvider());

    private TurnContext Turn()
    {
        var context = new TurnContext(_adapter, new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = "test",
            Conversation = new ConversationAccount { Id = "c1" },
            From = new ChannelAccount { Id = "u1" },
            Recipient = new ChannelAccount { Id = "bot" },
        });
        context.TurnState.Set(ChannelAdapter.ConnectorKey, new ExpectRepliesConnector());
        return context;
    }

    public enum Tier { Basic, Premium }

    public sealed class Profile
    {
        public string? Name { get; set; }
        public string? Note { get; set; }
        public Tier Tier { get; set; }
        public decimal Balance { get; set; }
        public List<int> Seats { get; set; } = [];
        public DateTimeOffset? Since { get; set; }
    }

    // Text that escaping treats specially: non-ASCII, quotes, markup, control characters, an emoji (a surrogate pair).
    private static Profile Tricky() => new()
    {
        Name = "Zoë \"Ada\" Ñúñez <b>&amp;</b> \u0001 \t 😀",
        Tier = Tier.Premium,
        Balance = 1234.50m,
        Seats = [3, 0, -1],
        Since = new DateTimeOffset(2026, 12, 7, 0, 15, 0, TimeSpan.FromHours(-5)),
    };

    private async Task<StoreItem> StoredAsync() => (await _storage.ReadAsync([Key]))[Key];

    private async Task SeedAsync()
    {
        // Written as another version (or a person) might have: keys out of order, numbers in exponent form, nulls.
        var document = JsonDocument.Parse("""
            {"zeta":{"b":[1,2.50,1e3],"a":null},"Alpha":"caf\u00e9 \"x\" <y>","omega":null,"beta":true}
            """).RootElement.Clone();
        await _storage.WriteAsync(new Dictionary<string, StoreWrite> { [Key] = new(document, null) });
    }

    /// <summary>What the save stored before issue 22: every property re-parsed into a sorted node tree, serialised.</summary>
    private static string Oracle(JsonElement loaded, IReadOnlyDictionary<string, object?> typed)
    {
        var properties = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var property in loaded.EnumerateObject())
        {
            properties[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
        foreach (var (name, value) in typed)
        {
            properties[name] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), StateJson.Options);
        }
        return JsonSerializer.SerializeToElement(new JsonObject(properties), StateJson.Options).GetRawText();
    }

    [Fact]
    public async Task A_changed_state_is_stored_as_the_same_text_as_before()
    {
        await SeedAsync();
        var loaded = (await StoredAsync()).Document;
        var state = new ConversationState(_storage);
        var turn = Turn();
        var profile = Tricky();
        await state.CreateProperty<Profile>("profile").SetAsync(turn, profile);
        await state.CreateProperty<string>("beta").SetAsync(turn, "now a string");
        await state.CreateProperty<object?>("nothing").SetAsync(turn, null);
        await state.SaveChangesAsync(turn);

        var expected = Oracle(loaded, new Dictionary<string, object?> { ["profile"] = profile, ["beta"] = "now a string", ["nothing"] = null });
        Assert.Equal(expected, (await StoredAsync()).Document.GetRawText());
        // And the properties this code never read kept their values.
        Assert.Equal("café \"x\" <y>", (await StoredAsync()).Document.GetProperty("Alpha").GetString());
    }

    [Fact]
    public async Task A_turn_that_only_reads_writes_nothing_and_one_that_changes_in_place_writes()
    {
        var state = new ConversationState(_storage);
        var first = Turn();
        await state.CreateProperty<Profile>("profile").SetAsync(first, Tricky());
        await state.CreateProperty<int>("count").SetAsync(first, 7);
        await state.SaveChangesAsync(first);
        var eTag = (await StoredAsync()).ETag;

        // Reads every property as its type (so each is serialised again at the save): nothing changed, nothing written.
        var reading = Turn();
        Assert.Equal("Premium", (await state.CreateProperty<Profile>("profile").GetAsync(reading))!.Tier.ToString());
        Assert.Equal(7, await state.CreateProperty<int>("count").GetAsync(reading));
        await state.SaveChangesAsync(reading);
        Assert.Equal(eTag, (await StoredAsync()).ETag);

        // A change made to the object itself, without SetAsync, is still seen and saved.
        var changing = Turn();
        (await state.CreateProperty<Profile>("profile").GetAsync(changing))!.Seats.Add(42);
        await state.SaveChangesAsync(changing);
        Assert.NotEqual(eTag, (await StoredAsync()).ETag);
        Assert.Equal([3, 0, -1, 42], (await state.CreateProperty<Profile>("profile").GetAsync(Turn()))!.Seats);
    }
}
