using System.Text.Json;
using BotRuntime.Dialogs;
using BotRuntime.State;

namespace BotRuntime.Tests.Dialogs;

/// <summary>
/// <see cref="DialogState"/> has a converter of its own (issue 22: the serializer's object converter allocated an array
/// of read or write frames for the stack on every read and save of it, several times a turn). What is stored must stay
/// byte for byte what the serializer wrote for it, and everything the serializer read must still read the same.
/// </summary>
public sealed class DialogStateConverterTests
{
    // The same shape without the converter: what the serializer itself makes of a dialog state.
    private sealed class PlainState
    {
        public List<DialogInstance> DialogStack { get; set; } = [];

        public DateTimeOffset? LastTurnAt { get; set; }
    }

    private static DialogInstance Waterfall(string id, int step)
    {
        var instance = new DialogInstance(id, 3);
        var state = new WaterfallState { StepIndex = step, StepName = "ask ✓ \"x\"" };
        state.Values.Set("count", step);
        instance.SetState(state);
        return instance;
    }

    private static DialogInstance Component(DateTimeOffset? at)
    {
        var inner = new ComponentState { Dialogs = new DialogState { DialogStack = [Waterfall("inner", 1), Waterfall("inner.2", 0)], LastTurnAt = at } };
        inner.Values.Set("plan", "Premium");
        var instance = new DialogInstance("main", 2);
        instance.SetState(inner);
        return instance;
    }

    public static TheoryData<int> Shapes() => [0, 1, 2, 3, 4];

    private static (DialogState Converted, PlainState Plain) Shape(int shape)
    {
        var at = new DateTimeOffset(2026, 12, 7, 20, 15, 0, 120, TimeSpan.Zero);
        List<DialogInstance>? stack = shape switch
        {
            0 => [],
            1 => [Waterfall("one", 2)],
            2 => [Component(at), Waterfall("under", 0)],
            3 => null,
            _ => [Component(null), null!],
        };
        DateTimeOffset? last = shape is 1 or 2 ? at : shape == 3 ? at.ToOffset(TimeSpan.FromHours(-5)) : null;
        return (new DialogState { DialogStack = stack!, LastTurnAt = last }, new PlainState { DialogStack = stack!, LastTurnAt = last });
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void It_is_written_byte_for_byte_as_the_serializer_writes_it(int shape)
    {
        var (converted, plain) = Shape(shape);
        var expected = JsonSerializer.Serialize(plain, StateJson.Options);
        Assert.Equal(expected, JsonSerializer.Serialize(converted, StateJson.Options));
        // The names follow the options, as the serializer's do.
        var pascal = new JsonSerializerOptions(StateJson.Options) { PropertyNamingPolicy = null, DefaultIgnoreCondition = default };
        Assert.Equal(JsonSerializer.Serialize(plain, pascal), JsonSerializer.Serialize(converted, pascal));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void What_the_serializer_wrote_reads_back_the_same(int shape)
    {
        var (_, plain) = Shape(shape);
        var stored = JsonSerializer.Serialize(plain, StateJson.Options);
        var read = JsonSerializer.Deserialize<DialogState>(stored, StateJson.Options)!;
        var expected = JsonSerializer.Deserialize<PlainState>(stored, StateJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(expected, StateJson.Options),
            JsonSerializer.Serialize(new PlainState { DialogStack = read.DialogStack, LastTurnAt = read.LastTurnAt }, StateJson.Options));
    }

    [Theory]
    [InlineData("""{"LASTTURNAT":"2026-12-07T20:15:00Z","extra":{"a":[1,{"b":2}]},"DialogStack":[{"id":"a","version":1,"state":null}]}""")]
    [InlineData("""{"dialogStack":[{"id":"b","version":1,"state":{}}],"dialogStack":[{"id":"a","version":1,"state":null}],"lastTurnAt":null,"lastTurnAt":"2026-12-07T20:15:00Z"}""")]
    public void Names_without_case_unknown_properties_and_repeats_read_as_the_serializer_reads_them(string json)
    {
        var expected = JsonSerializer.Deserialize<PlainState>(json, StateJson.Options)!;
        var read = JsonSerializer.Deserialize<DialogState>(json, StateJson.Options)!;
        Assert.Equal(expected.LastTurnAt, read.LastTurnAt);
        Assert.Equal(expected.DialogStack.Select(instance => instance.Id), read.DialogStack.Select(instance => instance.Id));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 20, 15, 0, TimeSpan.Zero), read.LastTurnAt);
    }

    [Theory]
    [InlineData("""{}""", 0)]
    [InlineData("""{"dialogStack":null}""", -1)]
    public void A_missing_stack_is_empty_and_a_null_one_is_null(string json, int count)
    {
        var read = JsonSerializer.Deserialize<DialogState>(json, StateJson.Options)!;
        Assert.Equal(count, read.DialogStack?.Count ?? -1);
        Assert.Null(read.LastTurnAt);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"dialogStack":{}}""")]
    [InlineData("""{"dialogStack":[{"version":1}]}""")]
    [InlineData("""{"lastTurnAt":"yesterday"}""")]
    [InlineData("""{"lastTurnAt":5}""")]
    public void Unreadable_state_is_a_json_error_the_runner_restarts_on(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DialogState>(json, StateJson.Options));

    [Fact]
    public void A_component_state_reads_and_writes_without_an_array_of_serializer_frames()
    {
        var (converted, _) = Shape(2);
        var component = converted.DialogStack[0].GetState<ComponentState>()!;
        var json = JsonSerializer.SerializeToUtf8Bytes(component, StateJson.Options);
        for (var i = 0; i < 50; i++)
        {
            JsonSerializer.Deserialize<ComponentState>(json, StateJson.Options);
            JsonSerializer.SerializeToUtf8Bytes(component, StateJson.Options);
        }

        // A frame array is four frames of a few hundred bytes each; everything else here is a few small objects and
        // the instances' own copies of their JSON.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = JsonSerializer.Deserialize<ComponentState>(json, StateJson.Options)!;
        var reading = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var written = JsonSerializer.SerializeToUtf8Bytes(read, StateJson.Options);
        var writing = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(json, written);
        Assert.True(reading < 2_400, $"{reading} bytes to read a {json.Length}-byte component state");
        Assert.True(writing < 1_000, $"{writing} bytes to write a {json.Length}-byte component state");
    }
}
