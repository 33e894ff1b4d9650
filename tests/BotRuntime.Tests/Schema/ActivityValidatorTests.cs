using System.Text;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Schema;

/// <summary>The one edge check both ingresses run: what it refuses, with which JSON path, and what it lets through.</summary>
public sealed class ActivityValidatorTests
{
    private const string Valid = """
        {"type":"message","id":"a1","channelId":"msteams","serviceUrl":"https://smba.example.com/",
         "from":{"id":"29:1abc","name":"Ana","role":"user"},"recipient":{"id":"28:bot","name":"Bot"},
         "conversation":{"id":"a:1xyz;messageid=123","isGroup":false,"tenantId":"t1"},
         "text":"two\nlines\twith a tab","locale":"en-US","timestamp":"2026-12-06T10:00:00.000Z",
         "attachments":[{"contentType":"application/vnd.microsoft.card.hero","content":{"title":"x"}}],
         "entities":[{"type":"clientInfo","locale":"en-US"}],
         "membersAdded":[{"id":"29:1abc"}],
         "suggestedActions":{"to":["29:1abc"],"actions":[{"type":"imBack","title":"Yes","value":"yes"}]},
         "value":{"anything":[null,1,"\u001b"]},"channelData":{"tenant":{"id":"t1"}},"somethingNew":[null]}
        """;

    private static ActivityReadResult Read(string json) => ActivityValidator.Read(Encoding.UTF8.GetBytes(json));

    private static ActivityValidationError Refused(string json)
    {
        var result = Read(json);
        Assert.False(result.IsValid);
        Assert.Null(result.Activity);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void A_well_formed_activity_passes_with_everything_it_carries()
    {
        var result = Read(Valid);
        Assert.True(result.IsValid, result.Summary);
        Assert.Equal("a:1xyz;messageid=123", result.Activity!.Conversation!.Id);
        Assert.True(result.Activity.Properties!.ContainsKey("somethingNew"));
    }

    [Theory]
    [InlineData("""{"type":"message","attachments":[null]}""", "$.attachments[0]")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":[null]}""", "$.membersAdded[0]")]
    [InlineData("""{"type":"conversationUpdate","membersRemoved":[{"id":"u"},null]}""", "$.membersRemoved[1]")]
    [InlineData("""{"type":"message","entities":[null]}""", "$.entities[0]")]
    [InlineData("""{"type":"message","suggestedActions":{"actions":[null]}}""", "$.suggestedActions.actions[0]")]
    [InlineData("""{"type":"message","reactionsAdded":[null]}""", "$.reactionsAdded[0]")]
    [InlineData("""{"type":"message","suggestedActions":{"to":[null]}}""", "$.suggestedActions.to[0]")]
    [InlineData("""{"type":"message","attachments":[1]}""", "$.attachments[0]")]
    public void Null_or_non_object_list_entries_are_refused_at_their_path(string json, string path) =>
        Assert.Equal(path, Refused(json).Path);

    [Theory]
    [InlineData("""{"type":"conversationUpdate","membersAdded":[{"name":"nobody"}]}""", "$.membersAdded[0].id", "is required")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":[{"id":""}]}""", "$.membersAdded[0].id", "must not be empty")]
    [InlineData("""{"type":"message","from":{"id":"  "}}""", "$.from.id", "must not be empty")]
    [InlineData("""{"type":"message","from":{"id":"a\r\nb"}}""", "$.from.id", "contains a control character")]
    [InlineData("""{"type":"message","recipient":{"id":5}}""", "$.recipient.id", "must be a string")]
    [InlineData("""{"type":"message","channelId":"x\r\n[12:00:00 WRN] forged"}""", "$.channelId", "contains a control character")]
    [InlineData("""{"type":"message","channelId":"\u001b[31mred"}""", "$.channelId", "contains a control character")]
    [InlineData("""{"type":"message","channelId":"x\u0085y"}""", "$.channelId", "contains a control character")]
    [InlineData("""{"type":"message","conversation":{"id":"c\u0000"}}""", "$.conversation.id", "contains a control character")]
    [InlineData("""{"type":"message","from":{"id":"u","name":"Ana\nBob"}}""", "$.from.name", "contains a control character")]
    [InlineData("""{"type":"message","text":"bell\u0007"}""", "$.text", "contains a control character")]
    [InlineData("""{"type":"message","conversation":"c1"}""", "$.conversation", "must be an object")]
    [InlineData("""{"type":"message","attachments":{}}""", "$.attachments", "must be an array")]
    [InlineData("""{"type":"message","timestamp":"yesterday"}""", "$.timestamp", "must be an ISO-8601 date-time string")]
    [InlineData("""{"type":"message","conversation":{"id":"c","isGroup":"yes"}}""", "$.conversation.isGroup", "must be true or false")]
    [InlineData("""{"type":7}""", "$.type", "must be a string")]
    [InlineData("""[1,2]""", "$", "must be a JSON object")]
    public void Ids_names_and_types_are_checked(string json, string path, string message)
    {
        var error = Refused(json);
        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Sizes_are_bounded()
    {
        Assert.Equal("$.text", Refused($$"""{"type":"message","text":"{{new string('a', ActivityValidator.MaxTextLength + 1)}}"}""").Path);
        Assert.Equal("$.channelId", Refused($$"""{"type":"message","channelId":"{{new string('c', ActivityValidator.MaxChannelIdLength + 1)}}"}""").Path);
        Assert.Equal("$.conversation.id", Refused($$$"""{"type":"message","conversation":{"id":"{{{new string('c', ActivityValidator.MaxConversationIdLength + 1)}}}"}}""").Path);
        Assert.Equal("$.from.id", Refused($$$"""{"type":"message","from":{"id":"{{{new string('u', ActivityValidator.MaxIdLength + 1)}}}"}}""").Path);
        var attachments = string.Join(",", Enumerable.Repeat("""{"contentType":"text/plain"}""", ActivityValidator.MaxListEntries + 1));
        Assert.Equal("$.attachments", Refused($$"""{"type":"message","attachments":[{{attachments}}]}""").Path);
        var members = string.Join(",", Enumerable.Range(0, ActivityValidator.MaxMembers + 1).Select(i => $$"""{"id":"u{{i}}"}"""));
        Assert.Equal("$.membersAdded", Refused($$"""{"type":"conversationUpdate","membersAdded":[{{members}}]}""").Path);
        var deep = new string('[', ActivityValidator.MaxDepth + 1) + new string(']', ActivityValidator.MaxDepth + 1);
        Assert.Equal("$", Refused($$"""{"type":"message","value":{{deep}}}""").Path);
    }

    [Fact]
    public void A_property_given_twice_is_refused_so_the_check_and_the_deserializer_cannot_read_different_lists() =>
        Assert.Equal("$", Refused("""{"type":"message","attachments":[{}],"attachments":[null]}""").Path);

    [Fact]
    public void An_error_never_quotes_the_value_it_refuses()
    {
        var result = Read("""{"type":"message","channelId":"secret-4111111111111111\n","timestamp":"4111111111111111"}""");
        Assert.Equal(2, result.Errors.Count);
        Assert.DoesNotContain("4111", result.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", Read("""{"type":"message","text":"4111111111111111""").Summary, StringComparison.Ordinal);
    }
}
