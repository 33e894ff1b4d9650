using System.Net;
using System.Text;
using System.Text.Json;
using BotRuntime.Hosting;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// The answer of an <c>/api/messages</c> turn is serialised once, kept as UTF-8 and written as it is (issue 22: it is no
/// longer parsed into a document for the ingress to write back out). What the caller receives must stay byte for byte
/// what the bot's serializer options write — non-ASCII as written, the same escaping — on the first delivery and on a
/// redelivery answered from the stored record, plain or packed; and the request body is read whole however it arrives.
/// </summary>
public sealed class AnswerBytesTests
{
    // Non-ASCII, HTML-ish and quote characters: the default encoder would escape every one of them (\u2192, \u003C, \u0027).
    private const string Awkward = "añadir → 5 € <b>'x'</b> & \"y\" 👍";

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    public async Task An_expectReplies_answer_is_exactly_what_the_bots_options_write_and_a_redelivery_repeats_it(int repeat)
    {
        // Short (stored as JSON) and long (stored packed) bodies take the two paths of the delivery record.
        var text = string.Join(' ', Enumerable.Repeat(Awkward, repeat));
        var bot = new RecordingBot();
        await using var host = await BotTestHost.StartAsync(bot);
        var activity = BotTestHost.Message(text);

        var first = await host.PostAsync(activity);
        var bytes = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json; charset=utf-8", first.Content.Headers.ContentType!.ToString());
        Assert.Equal(bytes.Length, first.Content.Headers.ContentLength);
        var replies = JsonSerializer.Deserialize<ExpectedReplies>(bytes, BotJson.Options)!;
        Assert.Equal($"echo: {text} #1", Assert.Single(replies.Activities).Text);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(replies, BotJson.Options), bytes);
        Assert.Contains("añadir → 5 € <b>'x'</b>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var again = await (await host.PostAsync(activity)).Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, again);
        Assert.Equal(1, bot.Turns);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(999, 7)]
    [InlineData(1_000, 1)]
    [InlineData(1_000, 4_096)]
    [InlineData(1_001, 1)]
    [InlineData(1_001, 4_096)]
    [InlineData(50_000, 3)]
    public async Task A_body_is_read_whole_up_to_the_limit_in_whatever_pieces_it_arrives(int length, int piece)
    {
        var body = Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251)).ToArray();
        var limit = length == 50_000 ? 100_000 : 1_000;
        var read = await BotMessagesHandler.ReadLimitedAsync(new Trickle(body, piece), limit, CancellationToken.None);
        if (length > limit)
        {
            Assert.Null(read);
        }
        else
        {
            Assert.Equal(body, read);
        }
    }

    [Fact]
    public async Task A_body_past_a_limit_larger_than_the_first_buffer_is_refused()
    {
        var body = new byte[70_000];
        Assert.Null(await BotMessagesHandler.ReadLimitedAsync(new Trickle(body, 1_000), 65_536, CancellationToken.None));
        Assert.Equal(body, await BotMessagesHandler.ReadLimitedAsync(new Trickle(body, 1_000), 70_000, CancellationToken.None));
    }

    /// <summary>A request body that hands out at most <c>piece</c> bytes per read, as a chunked upload may.</summary>
    private sealed class Trickle(byte[] data, int piece) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }
}
