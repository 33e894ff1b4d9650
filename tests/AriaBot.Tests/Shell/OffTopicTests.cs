using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Shell;

/// <summary>
/// Issue 23: a message about nothing the bot does gets one honest sentence and the menu, never "did you mean"
/// between two unrelated tasks and never an action, in both languages.
/// </summary>
public sealed class OffTopicTests : IAsyncLifetime
{
    private static readonly BindingKey Customer = new(Channels.Webchat, "convo1", "user1");
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string All(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    private static IReadOnlyList<string?> Buttons(IEnumerable<Activity> replies) =>
        [.. replies.Last(reply => reply.SuggestedActions is not null).SuggestedActions!.Actions!.Select(action => action.Title)];

    [Theory]
    [InlineData("what's the capital of France")]
    [InlineData("tell me a joke")]
    public async Task Off_topic_gets_an_honest_sentence_and_the_menu_and_nothing_starts(string text)
    {
        await _host.BindDirectlyAsync(Customer);
        var chat = _host.Conversation();
        var replies = await chat.SayAsync(text);
        var all = All(replies);
        Assert.Contains("That's not something I can help with here", all, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", all, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Switch my plan", Buttons(replies));

        // Nothing was started: the next message is read afresh, and the account was never opened.
        Assert.Contains("Here's what I can do for you", All(await chat.SayAsync("what can you do")), StringComparison.Ordinal);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_acct_details_all_m"));
    }

    [Fact]
    public async Task Off_topic_twice_offers_a_person()
    {
        var chat = _host.Conversation();
        await chat.SayAsync("what's the capital of France");
        var second = await chat.SayAsync("tell me a joke");
        Assert.Contains("talk to a person", All(second), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("pide una pizza")]
    [InlineData("cuál es la capital de Francia")]
    public async Task Off_topic_in_Spanish_gets_the_Spanish_sentence_and_menu(string text)
    {
        var chat = _host.Conversation(conversationId: "es-1", locale: "es-ES");
        var replies = await chat.SayAsync(text);
        Assert.Contains("Con eso no puedo ayudarte aquí", All(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("te refieres a", All(replies), StringComparison.Ordinal);
        Assert.Contains("Cambiar de plan", Buttons(replies));
    }
}
