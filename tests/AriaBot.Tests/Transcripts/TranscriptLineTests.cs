using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AriaBot.Transcripts;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Transcripts;

/// <summary>
/// Transcript lines are written by hand (<see cref="TranscriptLine"/>, <see cref="ShownItems"/>) and the bot's own clean
/// texts are not redacted twice (issue 22): the stored JSON must stay the serializer's, byte for byte, and redaction must
/// stay what it was, whatever the bot repeats.
/// </summary>
public sealed class TranscriptLineTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 23, 5, 9, 123, TimeSpan.FromHours(-5));

    private readonly FakeTimeProvider _clock = new(At);
    private readonly MemoryStorage _storage;

    public TranscriptLineTests() => _storage = new MemoryStorage(_clock);

    public static TheoryData<string?, string?, string[]?> Lines => new()
    {
        { "hello", null, null },
        { null, "handoff", [] },
        { "Here is what I can do: pay a bill, reset a password", null, ["button: Make a payment", "button: Reset password", "card: Your plans"] },
        { "¿Qué tal? <b>ñandú</b> 'quoted' \"double\" \\ back\nline\ttab \u0001 \u007f 😀", "n\u00e9", ["button: Añadir ✓ \"x\" <y> 😀", "attachment: application/vnd.microsoft.card.adaptive"] },
        { "", "", ["button: ", "card: " + new string('é', 300) + "\u2028end"] },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_line_is_the_serializers_json_of_its_entry_byte_for_byte(string? text, string? name, string[]? shown)
    {
        foreach (var options in new[] { StateJson.Options, PascalCaseWithNulls })
        {
            var plain = Entry(text, name, shown is null ? null : [.. shown]);
            var expected = JsonSerializer.SerializeToUtf8Bytes(plain, options);

            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new TranscriptLine(plain), options)));
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new TranscriptLine(Entry(text, name, Items(shown))), options)));
        }
    }

    [Fact]
    public void Shown_items_read_as_the_label_and_text_they_were_given()
    {
        var items = Items(["button: Pay", "card: ", "attachment: image/png"])!;
        items.Add("button", null);

        Assert.Equal(4, items.Count);
        Assert.Equal("card: ", items[1]);
        Assert.Equal(["button: Pay", "card: ", "attachment: image/png", "button: "], items.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_recorded_reply_is_stored_as_the_serializer_writes_what_reads_back(bool insideAutoSave)
    {
        var adapter = Adapter(insideAutoSave);
        await adapter.ProcessActivityAsync(adapter.MakeActivity("hi"), async (turn, token) =>
        {
            var reply = MessageFactory.SuggestedActions([CardAction.ImBack("Make a payment"), null!, CardAction.ImBack("Añadir \"plan\"")], "Hi <there>, 'friend'");
            reply.Attachments = [new HeroCard { Title = "My card is 4111 1111 1111 1111" }.ToAttachment(), null!, new Attachment { ContentType = "image/png" }];
            await turn.SendActivityAsync(reply, token);
        });

        var stored = await _storage.ReadPrefixAsync("transcripts/test/convo1/", 10);
        Assert.Equal(2, stored.Count);
        foreach (var (_, item) in stored)
        {
            var entry = item.Document.Deserialize<TranscriptEntry>(StateJson.Options)!;
            Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(entry, StateJson.Options)), item.Document.GetRawText());
        }
        var bot = Assert.Single(await Transcripts().ReadAsync("test/convo1"), line => line.Role == RoleTypes.Bot);
        Assert.Equal("Hi <there>, 'friend'", bot.Text);
        Assert.Equal(["card: My card is [card number removed]", "attachment: image/png", "button: Make a payment", "button: Añadir \"plan\""], bot.Shown);
    }

    [Fact]
    public async Task A_clean_bot_text_said_again_in_a_turn_that_marked_a_secret_is_redacted_again()
    {
        var adapter = Adapter(insideAutoSave: true);
        var said = string.Concat("Your code ", "483920", " was sent.");

        await adapter.ProcessActivityAsync(adapter.MakeActivity("first"), (turn, token) => turn.SendActivityAsync(said, cancellationToken: token));
        await adapter.ProcessActivityAsync(adapter.MakeActivity("second"), async (turn, token) =>
        {
            TurnSecrets.Mark(turn, "483920");
            await turn.SendActivityAsync(said, cancellationToken: token);
        });
        await adapter.ProcessActivityAsync(adapter.MakeActivity("third"), (turn, token) => turn.SendActivityAsync(said, cancellationToken: token));

        var bot = (await Transcripts().ReadAsync("test/convo1")).Where(line => line.Role == RoleTypes.Bot).Select(line => line.Text);
        Assert.Equal([said, "Your code [removed] was sent.", said], bot);
    }

    [Fact]
    public async Task A_bot_text_that_needed_redacting_is_redacted_every_time_it_is_said()
    {
        var adapter = Adapter(insideAutoSave: true);
        var said = string.Concat("Noted: your password is ", "hunter22");
        var title = string.Concat("Card 4111 1111 ", "1111 1111");

        for (var i = 0; i < 3; i++)
        {
            await adapter.ProcessActivityAsync(adapter.MakeActivity("again"), async (turn, token) =>
            {
                var reply = MessageFactory.Text(said);
                reply.Attachments = [new HeroCard { Title = title }.ToAttachment()];
                await turn.SendActivityAsync(reply, token);
            });
        }

        var bot = (await Transcripts().ReadAsync("test/convo1")).Where(line => line.Role == RoleTypes.Bot).ToList();
        Assert.Equal(3, bot.Count);
        Assert.All(bot, line => Assert.Equal("Noted: your password is [password removed]", line.Text));
        Assert.All(bot, line => Assert.Equal(["card: Card [card number removed]"], line.Shown));
    }

    private static readonly JsonSerializerOptions PascalCaseWithNulls = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new Iso8601DateTimeOffsetConverter() },
    };

    private static TranscriptEntry Entry(string? text, string? name, IReadOnlyList<string>? shown) =>
        new() { At = At, Role = RoleTypes.Bot, Type = ActivityTypes.Message, Text = text, Name = name, Shown = shown };

    private static ShownItems? Items(string[]? shown)
    {
        if (shown is null)
        {
            return null;
        }
        var items = new ShownItems(shown.Length);
        foreach (var item in shown)
        {
            var colon = item.IndexOf(": ", StringComparison.Ordinal);
            items.Add(item[..colon], item[(colon + 2)..]);
        }
        return items;
    }

    private StorageTranscriptStore Transcripts() => new(_storage, Options.Create(new TranscriptOptions()), _clock);

    private TestAdapter Adapter(bool insideAutoSave)
    {
        var transcripts = new TranscriptMiddleware(Transcripts(), _clock);
        return insideAutoSave
            ? new(new TestAdapterOptions { TimeProvider = _clock }, new AutoSaveStateMiddleware(new ConversationState(_storage)), transcripts)
            : new(new TestAdapterOptions { TimeProvider = _clock }, transcripts);
    }
}
