using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// The reply body a delivery record keeps for a redelivery is stored compressed when large (issue 22: ~1.9 KB of every
/// expectReplies conversation's record): a redelivery is still answered byte for byte and never runs the turn again
/// (invariant 5), and records written before, with the body as JSON, still answer theirs.
/// </summary>
public sealed class DeliveryBodyTests
{
    private static readonly string LongText = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"word{i}"));

    [Fact]
    public async Task A_large_reply_body_is_stored_packed_and_a_redelivery_gets_it_byte_for_byte_without_a_second_turn()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = BotTestHost.Message(LongText);
        var first = await (await host.PostAsync(activity)).Content.ReadAsStringAsync();
        Assert.Contains(LongText, first, StringComparison.Ordinal);

        var record = await RecordAsync(host, "a1");
        Assert.False(record.TryGetProperty("body", out _));
        var packed = record.GetProperty("packedBody").GetString()!;
        // Under 60 %, base64 included: Brotli quality 2 (issue 22, chosen for CPU) packs this body of 120 distinct words to
        // 640 of 1,159 chars; a menu reply, more repetitive, to 43 % (bench/README.md, "The runtime's per-reply costs").
        Assert.True(packed.Length * 10 < first.Length * 6, $"packed {packed.Length} chars for a {first.Length}-char body");
        Assert.DoesNotContain("word7", record.GetRawText(), StringComparison.Ordinal);

        var second = await (await host.PostAsync(activity)).Content.ReadAsStringAsync();
        Assert.Equal(first, second);
        Assert.Equal(1, bot.Turns);
    }

    [Fact]
    public async Task A_small_reply_body_stays_plain_json()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = BotTestHost.Message("hi");
        var first = await (await host.PostAsync(activity)).Content.ReadAsStringAsync();

        var record = await RecordAsync(host, "a1");
        Assert.Equal(JsonValueKind.Object, record.GetProperty("body").ValueKind);
        Assert.False(record.TryGetProperty("packedBody", out _));
        Assert.Equal(first, await (await host.PostAsync(activity)).Content.ReadAsStringAsync());
        Assert.Equal(1, bot.Turns);
    }

    [Fact]
    public async Task A_done_record_of_an_earlier_build_with_its_body_as_json_still_answers_its_redelivery()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = BotTestHost.Message(LongText);
        // The anonymous ingress's key for this activity (an activity of another id shows where they go).
        await host.PostAsync(BotTestHost.Message("hi", id: "other"));
        var key = Assert.Single(await host.App.Services.GetRequiredService<IStorage>().ReadPrefixAsync("deliveries/", 10)).Key.Replace("/other", "/a1", StringComparison.Ordinal);
        // As the previous build stored it: the whole body under "body", however large.
        var oldBody = $$"""{"activities":[{"type":"message","id":"reply-1","channelId":"test","conversation":{"id":"c1"},"text":"earlier answer: {{LongText}}","replyToId":"a1"}]}""";
        var old = $$"""{"status":"done","httpStatus":200,"body":{{oldBody}},"startedAt":"2026-12-07T05:00:00+00:00","incarnation":"0123456789abcdef0123456789abcdef","interrupted":false}""";
        using (var document = JsonDocument.Parse(old))
        {
            await host.App.Services.GetRequiredService<IStorage>().WriteAsync(new Dictionary<string, StoreWrite>
            {
                [key] = new(document.RootElement.Clone(), null, DateTimeOffset.MaxValue),
            });
        }

        var answer = await host.PostAsync(activity);
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal($"earlier answer: {LongText}", Assert.Single(await BotTestHost.RepliesAsync(answer)).Text);
        Assert.Equal(1, bot.Turns);
        Assert.Equal("hi", Assert.Single(bot.Received).Text);
    }

    [Fact]
    public async Task A_packed_body_written_as_base64_text_answers_its_redelivery_byte_for_byte()
    {
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var storage = host.App.Services.GetRequiredService<IStorage>();
        var activity = BotTestHost.Message(LongText);
        await host.PostAsync(BotTestHost.Message("hi", id: "other"));
        var key = Assert.Single(await storage.ReadPrefixAsync("deliveries/", 10)).Key.Replace("/other", "/a1", StringComparison.Ordinal);
        // The record as text, its packedBody a base64 string (the record keeps the bytes; the JSON never changed).
        var oldBody = $$"""{"activities":[{"type":"message","id":"reply-1","channelId":"test","conversation":{"id":"c1"},"text":"packed answer: {{LongText}}","replyToId":"a1"}]}""";
        var json = System.Text.Encoding.UTF8.GetBytes(oldBody);
        var buffer = new byte[System.IO.Compression.BrotliEncoder.GetMaxCompressedLength(json.Length)];
        Assert.True(System.IO.Compression.BrotliEncoder.TryCompress(json, buffer, out var written, 4, 22));
        var old = $$"""{"status":"done","httpStatus":200,"packedBody":"{{Convert.ToBase64String(buffer, 0, written)}}","startedAt":"2026-12-07T05:00:00+00:00","incarnation":"0123456789abcdef0123456789abcdef","interrupted":false}""";
        using (var document = JsonDocument.Parse(old))
        {
            await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(document.RootElement.Clone(), null, DateTimeOffset.MaxValue) });
        }

        var answer = await host.PostAsync(activity);
        Assert.Equal(oldBody, await answer.Content.ReadAsStringAsync());
        Assert.Equal(1, bot.Turns);
    }

    private static async Task<JsonElement> RecordAsync(BotTestHost host, string activityId) =>
        Assert.Single(await host.App.Services.GetRequiredService<IStorage>().ReadPrefixAsync("deliveries/", 10),
            row => row.Key.EndsWith($"/c1/{activityId}", StringComparison.Ordinal)).Value.Document;

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    public void A_body_packed_at_another_quality_by_an_earlier_build_still_unpacks(int quality)
    {
        // Records in deployed stores were packed at quality 4; the quality is the writer's choice, never the reader's.
        var body = JsonSerializer.SerializeToElement(new { activities = new[] { new { text = LongText, locale = "es-ES" } } });
        var json = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(body);
        var buffer = new byte[System.IO.Compression.BrotliEncoder.GetMaxCompressedLength(json.Length)];
        Assert.True(System.IO.Compression.BrotliEncoder.TryCompress(json, buffer, out var written, quality, 22));
        Assert.NotEqual(DeliveryBody.Quality, quality);
        Assert.Equal(body.GetRawText(), DeliveryBody.Unpack(null, Convert.ToBase64String(buffer, 0, written))!.Value.GetRawText());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DeliveryBody.PackFrom - 30)]
    [InlineData(DeliveryBody.PackFrom)]
    [InlineData(40_000)]
    public void Packing_and_unpacking_give_back_the_same_json(int length)
    {
        var body = JsonSerializer.SerializeToElement(new { activities = new[] { new { text = new string('x', length), locale = "es-ES", note = "añadir €" } } });
        var (plain, packed) = DeliveryBody.Pack(body);
        Assert.Equal(body.GetRawText().Length >= DeliveryBody.PackFrom, packed is not null);
        Assert.Equal(packed is null, plain is not null);
        Assert.Equal(body.GetRawText(), System.Text.Encoding.UTF8.GetString(DeliveryBody.UnpackUtf8(plain, packed)!));
        // As the record's JSON holds it: base64.
        Assert.Equal(body.GetRawText(), DeliveryBody.Unpack(plain, packed is null ? null : Convert.ToBase64String(packed))!.Value.GetRawText());
        Assert.Null(DeliveryBody.Pack(null).Packed);
        Assert.Null(DeliveryBody.UnpackUtf8(null, null));
    }
}
