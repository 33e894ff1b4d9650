using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.State;
using BotRuntime.Testing;
using BotRuntime.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Privacy;

/// <summary>
/// The privacy scans (every stored row searched for a typed secret) go through <see cref="StoredText"/>, which must see
/// inside a delivery record's packed reply body: a secret echoed into a large reply is stored Brotli-compressed there,
/// where a search of the row's raw JSON cannot find it.
/// </summary>
public sealed class StoredTextTests
{
    private const string Card = "4111 1111 1111 1111";

    [Fact]
    public async Task A_secret_echoed_into_a_packed_reply_body_is_found_by_the_scan()
    {
        // The runtime's test bot echoes what it is sent (a bot with no redaction), and the reply is long enough to be packed.
        await using var host = await BotTestHost.StartAsync(new RecordingBot());
        var filler = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"word{i}"));
        await host.PostAsync(BotTestHost.Message($"my card is {Card} {filler}"));
        var storage = host.App.Services.GetRequiredService<IStorage>();

        var delivery = Assert.Single(await storage.ReadPrefixAsync("deliveries/", 10)).Value.Document;
        Assert.True(delivery.TryGetProperty(StoredText.PackedBodyProperty, out _), "the reply body was not packed; the test proves nothing");
        // What the scans searched before: the raw JSON holds only the compressed form.
        Assert.DoesNotContain(Card, delivery.GetRawText(), StringComparison.Ordinal);

        var row = Assert.Single(await StoredText.RowsAsync(storage, "deliveries/"));
        Assert.Contains($"echo: my card is {Card}", row.Text, StringComparison.Ordinal);
        Assert.Contains(Card, await StoredText.AllAsync(storage), StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_without_a_packed_body_is_its_raw_json_and_a_nested_one_is_unpacked_too()
    {
        var plain = JsonSerializer.SerializeToElement(new { status = "done", body = new { text = "hello" } });
        Assert.Equal(plain.GetRawText(), StoredText.Of(plain));

        var (_, packed) = DeliveryBody.Pack(JsonSerializer.SerializeToElement(new { text = $"{Card} " + new string('x', DeliveryBody.PackFrom) }));
        var nested = JsonSerializer.SerializeToElement(new { records = new[] { new { packedBody = packed } } });
        Assert.Contains(Card, StoredText.Of(nested), StringComparison.Ordinal);
    }
}
