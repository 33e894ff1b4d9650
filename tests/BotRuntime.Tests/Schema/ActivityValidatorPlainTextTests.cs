using System.Text;
using System.Text.Json;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Schema;

/// <summary>
/// The validator checks a string without escapes on its UTF-8 bytes, without reading it into a .NET string (issue 22):
/// the same verdicts as on the string (UTF-16 length, C1 controls, Unicode blanks), and no allocation for a valid body.
/// Every JSON here is built from C# strings, so non-ASCII characters reach the validator as raw UTF-8, not as escapes.
/// </summary>
public sealed class ActivityValidatorPlainTextTests
{
    private static ActivityReadResult Read(string json) => ActivityValidator.Read(Encoding.UTF8.GetBytes(json));

    // Concatenated, not serialised: a serialiser would escape some of these characters.
    private static string Message(string text) => "{\"type\":\"message\",\"text\":\"" + text + "\"}";

    [Theory]
    [InlineData("\u0085")]
    [InlineData("\u009f")]
    [InlineData("\u007f")]
    public void A_raw_c1_or_del_control_character_is_refused(string control)
    {
        var json = "{\"type\":\"message\",\"channelId\":\"x" + control + "y\"}";
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        var error = Assert.Single(Read(json).Errors);
        Assert.Equal(("$.channelId", "contains a control character"), (error.Path, error.Message));
    }

    [Fact]
    public void Accented_text_is_not_mistaken_for_a_c1_control()
    {
        // "Ā" is C4 80 and "€" E2 82 AC: continuation bytes in 80-9F that follow no C2 are letters, not controls.
        var result = Read(Message("Ā precio: 12 € — añadir"));
        Assert.True(result.IsValid, result.Summary);
    }

    [Theory]
    [InlineData("é", 0, true)]
    [InlineData("é", 1, false)]
    [InlineData("😀", 0, true)]
    public void Length_is_counted_in_utf16_units_as_before(string unit, int extra, bool valid)
    {
        // é is 2 UTF-8 bytes and 1 UTF-16 unit; 😀 is 4 bytes and 2 units.
        var text = string.Concat(Enumerable.Repeat(unit, ActivityValidator.MaxTextLength / unit.Length)) + new string('x', extra);
        var result = Read(Message(text));
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal("$.text", Assert.Single(result.Errors).Path);
        }
    }

    [Fact]
    public void An_id_of_unicode_spaces_only_is_empty()
    {
        var error = Assert.Single(Read("{\"type\":\"message\",\"from\":{\"id\":\"\u00a0\u2003\"}}").Errors);
        Assert.Equal(("$.from.id", "must not be empty"), (error.Path, error.Message));
        Assert.True(Read("{\"type\":\"message\",\"from\":{\"id\":\"\u00a0a\"}}").IsValid);
    }

    [Theory]
    [InlineData("2026-12-06T10:00:00.000Z", true)]
    [InlineData("2026-12-06T10:00:00+01:00", true)]
    [InlineData("yesterday", false)]
    [InlineData("2026-12-06T10:00:00.0000000000000000000000000000000000000000000000000000000000Z", false)]
    public void A_timestamp_is_read_from_its_bytes(string timestamp, bool valid) =>
        Assert.Equal(valid, Read("{\"type\":\"message\",\"timestamp\":\"" + timestamp + "\"}").IsValid);

    [Fact]
    public void Checking_a_valid_activity_without_escapes_allocates_nothing()
    {
        // A string with an escape (\n, \u00e9) is still read into a .NET string to be checked: rarer, and exact.
        const string json = """
            {"type":"message","id":"a1","channelId":"msteams","serviceUrl":"https://smba.example.com/",
             "from":{"id":"29:1abc","name":"Ana","role":"user"},"recipient":{"id":"28:bot","name":"Bot"},
             "conversation":{"id":"a:1xyz;messageid=123","isGroup":false,"tenantId":"t1"},
             "text":"añadir dos líneas","locale":"es-ES","timestamp":"2026-12-06T10:00:00.000Z","localTimestamp":"2026-12-06T11:00:00+01:00",
             "attachments":[{"contentType":"application/vnd.microsoft.card.hero","content":{"title":"x"}}],
             "entities":[{"type":"clientInfo","locale":"en-US"}],"membersAdded":[{"id":"29:1abc"}],
             "relatesTo":{"activityId":"a0","user":{"id":"u"},"conversation":{"id":"c"}},
             "suggestedActions":{"to":["29:1abc"],"actions":[{"type":"imBack","title":"Sí","value":"yes"}]},
             "textHighlights":[{"text":"dos","occurrence":1}],"listenFor":["yes"],"value":{"anything":[null,1]}}
            """;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Empty(ActivityValidator.Validate(root));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var errors = ActivityValidator.Validate(root);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(errors);
        Assert.Equal(0, allocated);
    }
}
