using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Echo;

/// <summary>
/// A placeholder bot that proves the pipeline end to end (greeting, echo, a per-conversation counter kept in
/// state). It goes away when the assistant's conversation shell arrives.
/// </summary>
public sealed class EchoBot(ConversationState conversationState) : ActivityHandler
{
    private readonly IStatePropertyAccessor<EchoCounter> _counter = conversationState.CreateProperty<EchoCounter>(nameof(EchoCounter));

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var counter = await _counter.GetAsync(turnContext, () => new EchoCounter(), cancellationToken);
        counter!.Turns++;
        await turnContext.SendActivityAsync($"Echo ({counter.Turns}): {turnContext.Activity.Text}", cancellationToken: cancellationToken);
    }

    protected override async Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) =>
        await turnContext.SendActivityAsync("Hello! I'm the AriaBot pipeline. Say something and I'll say it back.", cancellationToken: cancellationToken);
}

public sealed class EchoCounter
{
    public int Turns { get; set; }
}
