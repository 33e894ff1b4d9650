using System.Net;
using System.Net.Http.Json;
using BotRuntime.Schema;

namespace AriaBot.Tests;

/// <summary>Messages posted to the real <c>/api/messages</c> (anonymous in Development) as a channel delivers them.</summary>
internal static class ApiMessages
{
    /// <summary>
    /// A message from api-user in api-convo, answered in the response (expectReplies). A redelivery is the same
    /// <paramref name="id"/> posted again.
    /// </summary>
    public static async Task<IReadOnlyList<Activity>> PostAsync(AssistantTestHost host, string id, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = id,
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = "api-convo" },
            From = new ChannelAccount { Id = "api-user" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        var response = await host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        return replies!.Activities;
    }
}
