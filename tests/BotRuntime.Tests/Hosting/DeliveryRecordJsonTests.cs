using System.Text;
using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// A turn's delivery records are written by hand (issue 22); what is stored must stay exactly what the serializer wrote
/// with the state options — the same properties, order, nulls left out, timestamps and base64 — so records written
/// before and after read alike, and a small body kept as the answer's bytes reads back as the same JSON.
/// </summary>
public sealed class DeliveryRecordJsonTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Records => ["claim", "claim-with-reference", "done-small", "done-packed", "done-empty", "interrupted"];

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_is_written_byte_for_byte_as_the_serializer_writes_it(string which)
    {
        var record = Make(which);
        var expected = JsonSerializer.SerializeToUtf8Bytes(record, StateJson.Options);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(record, DeliveryRecordJson.Options)));
        // The done record keeps a small body as the answer's own bytes: the same JSON as the parsed element gave.
        if (record.Body is { } body)
        {
            record.BodyUtf8 = Encoding.UTF8.GetBytes(body.GetRawText());
            record.Body = null;
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(record, DeliveryRecordJson.Options)));
        }
    }

    [Fact]
    public void A_record_reads_back_with_the_state_options()
    {
        var record = Make("claim-with-reference");
        record.BodyUtf8 = """{"activities":[{"type":"message","text":"añadir → 5 €"}]}"""u8.ToArray();
        var read = JsonSerializer.Deserialize<TurnProcessor.DeliveryRecord>(JsonSerializer.SerializeToUtf8Bytes(record, DeliveryRecordJson.Options), StateJson.Options)!;

        Assert.Equal("añadir → 5 €", read.Body!.Value.GetProperty("activities")[0].GetProperty("text").GetString());
        Assert.Equal(record.StartedAt, read.StartedAt);
        Assert.Equal(record.LeaseUntil, read.LeaseUntil);
        Assert.Equal(record.Incarnation, read.Incarnation);
        Assert.Equal("https://channel.example.com/", read.Reference!.ServiceUrl);
    }

    [Fact]
    public void Timestamps_are_written_as_the_wire_converter_writes_them()
    {
        var random = new Random(22);
        var times = new List<DateTimeOffset>
        {
            Noon, Noon.AddTicks(1), Noon.AddTicks(10), Noon.AddTicks(1_000_000), Noon.AddTicks(9_999_999), Noon.AddTicks(1_230_000),
            DateTimeOffset.MinValue, new(DateTime.MaxValue, TimeSpan.Zero), new(2026, 12, 7, 12, 0, 0, TimeSpan.FromHours(2)),
            new(1, 2, 3, 4, 5, 6, TimeSpan.Zero), new(2026, 12, 7, 12, 0, 0, 500, TimeSpan.FromMinutes(-330)),
        };
        for (var i = 0; i < 2_000; i++)
        {
            times.Add(new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero));
        }
        var converter = new Iso8601DateTimeOffsetConverter();
        foreach (var time in times)
        {
            Assert.Equal(Written(writer => converter.Write(writer, time, StateJson.Options)), Written(writer => DeliveryRecordJson.WriteTimestamp(writer, time, StateJson.Options)));
        }
    }

    private static string Written(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static TurnProcessor.DeliveryRecord Make(string which)
    {
        var record = new TurnProcessor.DeliveryRecord { StartedAt = Noon.AddTicks(1_234_500), Incarnation = "0f3c9a", LeaseUntil = Noon.AddSeconds(15) };
        switch (which)
        {
            case "claim-with-reference":
                record.Reference = new ConversationReference
                {
                    ActivityId = "a1", ChannelId = "msteams", ServiceUrl = "https://channel.example.com/", Locale = "es-ES",
                    Conversation = new ConversationAccount { Id = "c1" }, User = new ChannelAccount { Id = "u1", Name = "Ana \"A\" <b>" }, Bot = new ChannelAccount { Id = "bot" },
                };
                break;
            case "done-small":
                record.Status = "done";
                record.HttpStatus = 200;
                record.LeaseUntil = null;
                record.Body = JsonSerializer.SerializeToElement(new ExpectedReplies { Activities = [new Activity { Type = "message", Text = "añadir → 5 € <b>'x'</b> \"y\" 👍" }] }, BotJson.Options);
                break;
            case "done-packed":
                record.Status = "done";
                record.HttpStatus = 200;
                record.PackedBody = [0, 1, 2, 250, 251, 252, 253, 254, 255];
                break;
            case "done-empty":
                record.Status = "done";
                record.HttpStatus = 501;
                record.Incarnation = null;
                record.LeaseUntil = null;
                record.StartedAt = Noon;
                break;
            case "interrupted":
                record.Interrupted = true;
                record.StartedAt = Noon.AddTicks(10);
                break;
        }
        return record;
    }
}
