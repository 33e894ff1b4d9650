using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BotRuntime.Schema;

namespace AriaBot.Tests.Fuzz;

/// <summary>Every body the fuzz suite (<see cref="IngressFuzzTests"/>) found that crashed or misled a host, kept by name.</summary>
public sealed class FuzzRegressionTests
{
    private static async Task<(HttpStatusCode Status, string Body)> PostApiAsync(AssistantTestHost host, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync(new Uri("/api/messages", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostDirectLineAsync(AssistantTestHost host, string json)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri("/v3/directline/conversations", UriKind.Relative));
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AssistantTestHost.DirectLineSecret);
        var started = JsonDocument.Parse(await (await host.Client.SendAsync(start)).Content.ReadAsStringAsync()).RootElement;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v3/directline/conversations/{started.GetProperty("conversationId").GetString()}/activities", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.GetProperty("token").GetString());
        var response = await host.Client.SendAsync(post);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private const string Addressed = "\"channelId\":\"test\",\"serviceUrl\":\"https://channel.example.com/\",\"from\":{\"id\":\"user-1\"},\"recipient\":{\"id\":\"bot\"},\"conversation\":{\"id\":\"regression\"},\"deliveryMode\":\"expectReplies\"";

    /// <summary>Found by the edge check's own property: <c>"\ud800"</c> is valid JSON but no .NET string; reading it threw.</summary>
    [Fact]
    public async Task A_lone_surrogate_escape_in_a_string_is_a_400_not_a_crash()
    {
        await using var host = new AssistantTestHost();
        var api = await PostApiAsync(host, $$"""{"type":"message",{{Addressed}},"text":"\ud800"}""");
        Assert.Equal(HttpStatusCode.BadRequest, api.Status);
        Assert.Contains("$.text", api.Body, StringComparison.Ordinal);

        var directLine = await PostDirectLineAsync(host, """{"type":"message","from":{"id":"x"},"text":"\udc00 alone"}""");
        Assert.Equal(HttpStatusCode.BadRequest, directLine.Status);
        Assert.Contains("$.text", directLine.Body, StringComparison.Ordinal);
        Assert.Empty(ActivityValidator.Read(Encoding.UTF8.GetBytes("""{"type":"message","text":"\ud83d\udcb3 paired is fine"}""")).Errors);
    }

    /// <summary>
    /// U+FFFE is valid JSON and a valid .NET string, but <c>string.Normalize</c> refuses it: typed anywhere in a line it
    /// made the turn fail (the apology) in every pass that folds accents (notification commands, amounts, contacts).
    /// </summary>
    [Theory]
    [InlineData("hi \ufffe", "en-US")]
    [InlineData("hola \ufffe", "es-ES")]
    [InlineData("\ufffehelp", "en-US")]
    public async Task A_noncharacter_in_a_line_is_answered_not_apologised_for(string text, string locale)
    {
        await using var host = new AssistantTestHost();
        var api = await PostApiAsync(host, $$"""{"type":"message",{{Addressed}},"locale":"{{locale}}","text":"{{text}}"}""");
        Assert.Equal(HttpStatusCode.OK, api.Status);
        var replies = JsonDocument.Parse(api.Body).RootElement.GetProperty("activities").EnumerateArray()
            .Select(reply => reply.TryGetProperty("text", out var said) ? said.GetString() ?? "" : "")
            .ToList();
        Assert.NotEmpty(replies);
        Assert.DoesNotContain(replies, said => said.Contains("went wrong", StringComparison.Ordinal) || said.Contains("algo ha fallado", StringComparison.Ordinal));
    }

    /// <summary>The finding itself, through the whole assistant: refused before the turn, so no transcript or state is touched.</summary>
    [Fact]
    public async Task A_null_attachment_or_member_is_refused_before_the_assistant_sees_it()
    {
        await using var host = new AssistantTestHost();
        var attachments = await PostApiAsync(host, $$"""{"type":"message",{{Addressed}},"text":"hello","attachments":[null]}""");
        Assert.Equal(HttpStatusCode.BadRequest, attachments.Status);
        Assert.Contains("$.attachments[0]", attachments.Body, StringComparison.Ordinal);
        var members = await PostApiAsync(host, $$"""{"type":"conversationUpdate",{{Addressed}},"membersAdded":[null]}""");
        Assert.Equal(HttpStatusCode.BadRequest, members.Status);
        Assert.Contains("$.membersAdded[0]", members.Body, StringComparison.Ordinal);
        Assert.Empty(await host.Storage.ReadPrefixAsync("test/conversations/regression", 10));
        Assert.Empty(await host.Storage.ReadPrefixAsync("transcripts/test/regression", 10));

        var hello = await PostApiAsync(host, $$"""{"type":"message",{{Addressed}},"text":"hello"}""");
        Assert.Equal(HttpStatusCode.OK, hello.Status);
    }
}
