using System.Net;
using System.Text.Json;
using static AriaBot.Tests.DirectLineHttp;
using static AriaBot.Tests.Privacy.DirectLineEchoRedactionTests;

namespace AriaBot.Tests.Handoff;

/// <summary>A customer in our own web chat (Direct Line over HTTP), for the tests that need what the relay delivers.</summary>
internal sealed class DirectLineCustomer
{
    private const string DirectLine = "/v3/directline";

    private readonly AssistantTestHost _host;

    private DirectLineCustomer(AssistantTestHost host, string token, string conversationId, string userId)
    {
        _host = host;
        Token = token;
        ConversationId = conversationId;
        UserId = userId;
    }

    public string Token { get; }
    public string ConversationId { get; }
    public string UserId { get; }

    public static async Task<DirectLineCustomer> StartAsync(AssistantTestHost host, string userId = "dl_customer", string locale = "en-US")
    {
        var generated = await Json(await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, new { user = new { id = userId, name = "Ana" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token, new { locale })).StatusCode);
        return new DirectLineCustomer(host, token, conversationId, userId);
    }

    /// <summary>Sends one message; the text of the bot's replies to it.</summary>
    public Task<string> SayAsync(string text) => ConverseAsync(_host, Token, ConversationId, text);

    /// <summary>Sends any activity as the client (e.g. a forged event).</summary>
    public async Task<HttpResponseMessage> SendAsync(object activity) =>
        await DirectLineHttp.SendAsync(_host, HttpMethod.Post, $"{DirectLine}/conversations/{ConversationId}/activities", Token, activity);

    public Task<JsonElement> ActivitiesAsync() => ReadAllAsync(_host, Token, ConversationId);

    /// <summary>The last activity the bot (or an agent through it) sent.</summary>
    public async Task<JsonElement> LastFromBotAsync() =>
        (await ActivitiesAsync()).EnumerateArray().Last(a => a.GetProperty("from").GetProperty("id").GetString() != UserId && a.GetProperty("type").GetString() == "message");

    public string ConversationKey => "directline/" + ConversationId;
}
