using System.Globalization;
using System.Text;
using System.Text.Json;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Schema;

/// <summary>
/// Timestamps are written and read through a stack buffer (issue 22); the text on the wire must stay exactly what the
/// format strings give (UTC with <c>Z</c> and only the fraction it has, other offsets as <c>+hh:mm</c>), and reading
/// must accept what it accepted before, escaped or not.
/// </summary>
public sealed class TimestampConverterTests
{
    private sealed record Stamped(DateTimeOffset At);

    private static string Expected(DateTimeOffset value) => value.Offset == TimeSpan.Zero
        ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    public static TheoryData<DateTimeOffset> Edges() =>
    [
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(2026, 12, 7, 20, 15, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 7, 20, 15, 0, 120, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 7, 20, 15, 0, TimeSpan.Zero).AddTicks(1),
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-9.5)).AddTicks(9_999_999),
        new DateTimeOffset(2026, 6, 30, 23, 59, 59, TimeSpan.FromHours(14)),
        new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)).AddTicks(1_234_567),
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void Edge_values_are_written_as_the_format_strings_give_them_and_read_back(DateTimeOffset value) => AssertRoundTrip(value);

    [Fact]
    public void Random_instants_and_offsets_are_written_as_the_format_strings_give_them_and_read_back()
    {
        var random = new Random(22);
        for (var i = 0; i < 5_000; i++)
        {
            var ticks = random.NextInt64(DateTimeOffset.MinValue.Ticks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.Ticks - TimeSpan.TicksPerDay);
            // Every third one UTC; the rest on whole minutes of offset, as DateTimeOffset requires.
            var offset = i % 3 == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            // Whole seconds too, so the fraction is dropped as well as shortened.
            var value = new DateTimeOffset(i % 5 == 0 ? ticks - ticks % TimeSpan.TicksPerSecond : ticks, offset);
            AssertRoundTrip(value);
        }
    }

    [Theory]
    [InlineData("\"2026-11-25T09:30:00.12Z\"", "2026-11-25T09:30:00.1200000+00:00")]
    [InlineData("\"2026-11-25T10:30:00\\u002B01:00\"", "2026-11-25T10:30:00.0000000+01:00")]
    [InlineData("\" 2026-11-25T10:30:00 \"", "2026-11-25T10:30:00.0000000+00:00")]
    [InlineData("\"2026-11-25\"", "2026-11-25T00:00:00.0000000+00:00")]
    public void Accepted_texts_read_as_before(string json, string expected)
    {
        var value = JsonSerializer.Deserialize<DateTimeOffset>(json, BotJson.Options);
        Assert.Equal(expected, value.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("\"not a date\"")]
    [InlineData("\"2026-13-45T99:00:00Z\"")]
    [InlineData("\"2026-11-25T10:30:00Z                                                                    x\"")]
    [InlineData("null")]
    public void Rejected_texts_are_a_json_error_naming_them(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Stamped>($"{{\"at\":{json}}}", BotJson.Options));
        Assert.Contains(json == "null" ? "''" : json.Trim('"')[..6], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_but_valid_text_still_reads()
    {
        var padded = "\"" + new string(' ', 80) + "2026-11-25T09:30:00Z\"";
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero), JsonSerializer.Deserialize<DateTimeOffset>(padded, BotJson.Options));
    }

    private static void AssertRoundTrip(DateTimeOffset value)
    {
        var json = JsonSerializer.Serialize(new Stamped(value), BotJson.Options);
        Assert.Equal($"{{\"at\":\"{Expected(value)}\"}}", json);
        var back = JsonSerializer.Deserialize<Stamped>(Encoding.UTF8.GetBytes(json), BotJson.Options)!.At;
        Assert.Equal(value.UtcTicks, back.UtcTicks);
    }
}
