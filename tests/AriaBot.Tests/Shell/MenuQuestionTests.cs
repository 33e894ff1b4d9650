using System.Text.Json;
using AriaBot.Shell;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Tests.Shell;

/// <summary>
/// The main loop's menu question is saved as which question it is (<see cref="MenuQuestion"/>), not as the rendered
/// text and buttons (issue 22: they were most of a conversation's 1.7 KB of state): every re-prompt renders the same
/// menu, and a conversation saved by the previous build, with the whole question in it, still re-prompts with it.
/// </summary>
public sealed class MenuQuestionTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>
{
    private readonly AssistantTestHost _host = shared.Host;

    private static (string? Text, IReadOnlyList<string?> Buttons) Menu(IEnumerable<Activity> replies)
    {
        var menu = replies.Last(reply => reply.SuggestedActions is not null);
        return (menu.Text, [.. menu.SuggestedActions!.Actions!.Select(action => action.Title)]);
    }

    private async Task<KeyValuePair<string, StoreItem>> StateOfAsync(string conversationId) =>
        Assert.Single(await _host.Storage.ReadPrefixAsync("", 100_000), row => row.Key.EndsWith($"/conversations/{conversationId}", StringComparison.Ordinal));

    [Fact]
    public async Task The_saved_menu_question_is_small_and_every_re_prompt_shows_the_same_menu()
    {
        var conversationId = SharedAssistantHost.NewConversationId();
        var chat = _host.Conversation(userId: SharedAssistantHost.NewConversationId("user"), conversationId: conversationId);
        // A greeting asks the menu's opening question (not "anything else?", which follows a finished task).
        var asked = Menu(await chat.SayAsync("hi"));
        Assert.Equal("What can I help you with? Pick an option or tell me in your own words.", asked.Text);
        Assert.Contains("Switch my plan", asked.Buttons);
        Assert.Contains("Sign in", asked.Buttons);

        var state = (await StateOfAsync(conversationId)).Value.Document.GetRawText();
        Assert.DoesNotContain("suggestedActions", state, StringComparison.Ordinal);
        Assert.DoesNotContain("Switch my plan", state, StringComparison.Ordinal);
        Assert.Contains("\"validations\":{\"afterTask\":false,\"signedIn\":false}", state, StringComparison.Ordinal);
        Assert.True(state.Length < 800, $"conversation state is {state.Length} chars: {state}");

        // "help" interrupts and re-prompts from what was saved: the same question and buttons as first asked.
        var helped = await chat.SayAsync("help");
        Assert.Equal(asked, Menu(helped), new MenuComparer());
        // An empty message is a failed answer: the prompt asks again, the same menu.
        var blank = chat.Adapter.MakeActivity(" ");
        Assert.Equal(asked, Menu(await chat.SendAsync(blank)), new MenuComparer());
    }

    [Fact]
    public async Task A_conversation_saved_with_the_whole_menu_question_by_the_previous_build_still_re_prompts_with_it()
    {
        var conversationId = SharedAssistantHost.NewConversationId();
        var chat = _host.Conversation(userId: SharedAssistantHost.NewConversationId("user"), conversationId: conversationId);
        await chat.SayAsync("hi");
        var (key, saved) = await StateOfAsync(conversationId);
        var lastTurnAt = saved.Document.GetProperty("DialogState").GetProperty("lastTurnAt").GetString();
        // The state as the previous build saved it after "hi" (copied from its store), at this conversation's time.
        var old = PreviousBuildState.Replace("LAST_TURN_AT", lastTurnAt, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(old))
        {
            await _host.Storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(document.RootElement.Clone(), saved.ETag, saved.ExpiresAt) });
        }

        var helped = Menu(await chat.SayAsync("help"));
        Assert.Equal("Is there anything else I can help you with (saved)?", helped.Text);
        Assert.Equal(15, helped.Buttons.Count);
        Assert.Equal("Switch my plan", helped.Buttons[0]);
        Assert.Equal("Talk to a person", helped.Buttons[^1]);

        // Answering it routes as before; the next question is saved the new way.
        var greeted = await chat.SayAsync("hi");
        Assert.Contains("Hello!", AssistantConversation.Texts(greeted));
        Assert.Equal("What can I help you with? Pick an option or tell me in your own words.", Menu(greeted).Text);
        Assert.DoesNotContain("suggestedActions", (await StateOfAsync(conversationId)).Value.Document.GetRawText(), StringComparison.Ordinal);
    }

    private sealed class MenuComparer : IEqualityComparer<(string? Text, IReadOnlyList<string?> Buttons)>
    {
        public bool Equals((string? Text, IReadOnlyList<string?> Buttons) x, (string? Text, IReadOnlyList<string?> Buttons) y) =>
            x.Text == y.Text && x.Buttons.SequenceEqual(y.Buttons);

        public int GetHashCode((string? Text, IReadOnlyList<string?> Buttons) obj) => obj.Text?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }

    // The previous build's conversation state after "hi" (ConversationFootprintTests' ARIABOT_PERF_SHOW_ROWS output),
    // with only the question's text marked so the test can tell the saved question from a re-rendered one.
    private const string PreviousBuildState = """
        {"DialogState":{"dialogStack":[{"id":"main","version":1,"state":{"dialogs":{"dialogStack":[{"id":"request","version":1,"state":{"options":{"prompt":{"type":"message","text":"Is there anything else I can help you with (saved)?","inputHint":"expectingInput","suggestedActions":{"actions":[{"type":"imBack","title":"Switch my plan","value":"Switch my plan"},{"type":"imBack","title":"Add a plan","value":"Add a plan"},{"type":"imBack","title":"Change seats or units","value":"Change seats or units"},{"type":"imBack","title":"Cancel a plan","value":"Cancel a plan"},{"type":"imBack","title":"Order items","value":"Order items"},{"type":"imBack","title":"Make a payment","value":"Make a payment"},{"type":"imBack","title":"Update payment method","value":"Update payment method"},{"type":"imBack","title":"Account summary","value":"Account summary"},{"type":"imBack","title":"See transactions","value":"See transactions"},{"type":"imBack","title":"See statements","value":"See statements"},{"type":"imBack","title":"See my orders","value":"See my orders"},{"type":"imBack","title":"Update contact details","value":"Update contact details"},{"type":"imBack","title":"Reset my password","value":"Reset my password"},{"type":"imBack","title":"Sign in","value":"Sign in"},{"type":"imBack","title":"Talk to a person","value":"Talk to a person"}]}},"maxAttempts":2147483647},"attemptCount":0}},{"id":"mainLoop","version":1,"state":{"options":{"afterTask":true,"quiet":false,"misunderstood":0},"values":{},"stepIndex":0,"stepName":"Ask"}}]},"values":{}}}],"lastTurnAt":"LAST_TURN_AT"},"OpenWrites":[],"Shell":{"greeted":true}}
        """;
}
