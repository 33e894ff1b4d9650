using System.Net;
using System.Net.Http.Json;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What an ordinary turn asks of the store, counted with a decorator on the real host (issue 22; speed is never
/// timed): once a conversation's state says it has no open write, its turns do not read the open-write markers,
/// and the redelivery claim is still written before the turn runs (invariant 5).
/// </summary>
public sealed class TurnStorageCallsTests : IAsyncDisposable
{
    private readonly AssistantTestHost _host = new(services: services => services.AddCountingStorage());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private CountingStorage Storage => _host.Services.GetRequiredService<CountingStorage>();

    private async Task PostAsync(string id, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = id,
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = "calls-convo" },
            From = new ChannelAccount { Id = "calls-user" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var response = await _host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        Assert.Contains(replies!.Activities, reply => reply.Type == ActivityTypes.Message);
    }

    [Fact]
    public async Task Turns_after_the_first_do_not_read_the_open_write_markers_and_the_claim_comes_first()
    {
        await PostAsync("t1", "hi");
        Assert.Equal(1, Storage.PrefixReads("intents-open/webchat/calls-convo/"));

        Storage.Reset();
        await PostAsync("t2", "help");
        await PostAsync("t3", "what can you do?");
        Assert.Equal(0, Storage.PrefixReads("intents-open/"));

        // The delivery claim is still the turn's first write: durable before anything of the turn runs.
        var first = Storage.Calls.First(call => call.Kind == "write");
        Assert.Contains(first.Keys, key => key.StartsWith("deliveries/", StringComparison.Ordinal) && key.EndsWith("/calls-convo/t2", StringComparison.Ordinal));
    }
}
