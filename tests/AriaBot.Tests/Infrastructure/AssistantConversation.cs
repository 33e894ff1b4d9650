using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests;

/// <summary>
/// One chat with the assistant over the production pipeline: the host's <see cref="IBot"/> and middleware (privacy,
/// transcript, the Aria call ledger, state auto-save) under a <see cref="TestAdapter"/>. Each call runs one turn
/// and returns what the bot said in it. Buttons are clicked the way Web Chat posts them.
/// </summary>
internal sealed class AssistantConversation
{
    private readonly AssistantTestHost _host;

    public AssistantConversation(AssistantTestHost host, TestAdapterOptions options)
    {
        _host = host;
        Adapter = new TestAdapter(options, [.. host.Services.GetServices<IMiddleware>()]);
    }

    public TestAdapter Adapter { get; }

    /// <summary>Everything the bot said so far in this conversation, in order.</summary>
    public List<Activity> Said { get; } = [];

    private IBot Bot => _host.Services.GetRequiredService<IBot>();

    public Task<IReadOnlyList<Activity>> SayAsync(string text) => SendAsync(Adapter.MakeActivity(text));

    public async Task<IReadOnlyList<Activity>> SendAsync(Activity activity)
    {
        await Adapter.ProcessActivityAsync(activity, Bot.OnTurnAsync);
        var replies = Adapter.DrainReplies();
        Said.AddRange(replies);
        return replies;
    }

    /// <summary>The conversation opens, as channels announce it (a conversationUpdate adding the user).</summary>
    public Task<IReadOnlyList<Activity>> OpenAsync()
    {
        var reference = Adapter.Conversation;
        return SendAsync(new Activity { Type = ActivityTypes.ConversationUpdate, MembersAdded = [reference.User!] });
    }

    /// <summary>Clicks a button as Web Chat posts it: imBack sends its value as text; messageBack its text and value; postBack its value.</summary>
    public Task<IReadOnlyList<Activity>> ClickAsync(CardAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var message = Adapter.MakeActivity();
        switch (action.Type)
        {
            case ActionTypes.ImBack:
                message.Text = action.Value?.GetString();
                break;
            case ActionTypes.MessageBack:
                message.Text = action.Text;
                message.Value = action.Value;
                break;
            case ActionTypes.PostBack:
                if (action.Value is { ValueKind: JsonValueKind.String } text)
                {
                    message.Text = text.GetString();
                }
                else
                {
                    message.Value = action.Value;
                }
                break;
            default:
                throw new ArgumentException($"A {action.Type} button does not post to the bot.", nameof(action));
        }
        return SendAsync(message);
    }

    /// <summary>Clicks the suggested action titled <paramref name="title"/> on the bot's latest message that has some.</summary>
    public Task<IReadOnlyList<Activity>> ClickAsync(string title)
    {
        var withButtons = Said.LastOrDefault(activity => activity.SuggestedActions?.Actions is { Count: > 0 })
            ?? throw new InvalidOperationException("The bot has shown no buttons.");
        var action = withButtons.SuggestedActions!.Actions!.FirstOrDefault(a => a.Title == title)
            ?? throw new InvalidOperationException($"No button titled '{title}'; the buttons are: {string.Join(", ", withButtons.SuggestedActions.Actions!.Select(a => a.Title))}.");
        return ClickAsync(action);
    }

    /// <summary>Submits an Adaptive Card action's data (an object, so Web Chat posts it as the message value).</summary>
    public Task<IReadOnlyList<Activity>> SubmitAsync(object data)
    {
        var message = Adapter.MakeActivity();
        message.Value = JsonSerializer.SerializeToElement(data);
        return SendAsync(message);
    }

    /// <summary>Signs in the way a customer does: ask, follow the link, sign in on the page, type the code here.</summary>
    public async Task<IReadOnlyList<Activity>> SignInAsync(string userId = "alice", string password = "alice-demo-1", string ask = "sign in")
    {
        var replies = await SayAsync(ask);
        var link = AssistantTestHost.LinkIn(replies.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link, userId, password);
        Assert.NotNull(page.Code);
        return await SayAsync(page.Code);
    }

    /// <summary>The texts of <paramref name="replies"/>, for readable assertions.</summary>
    public static IReadOnlyList<string> Texts(IEnumerable<Activity> replies) =>
        [.. replies.Where(reply => reply.IsType(ActivityTypes.Message)).Select(reply => reply.Text ?? string.Empty)];
}
