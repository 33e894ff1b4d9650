using BotRuntime.Builder;

namespace AriaBot.Privacy;

/// <summary>What stands for a message the "code first" rule held back (<see cref="AwaitedCodeMiddleware"/>).</summary>
public static class WithheldMessages
{
    /// <summary>
    /// The held message's text from then on: what the transcript records and an agent reads. It says that something was
    /// said (so an agent taking over is not puzzled by the bot's "don't type the code here") and nothing of what.
    /// </summary>
    public const string Placeholder = "[a message that may hold a verification code was withheld]";
}

/// <summary>
/// Told of each message the "code first" rule held back, after its text became <see cref="WithheldMessages.Placeholder"/>.
/// Why a hook: the rule runs before the handoff, which never sees a held message, yet an agent who has the conversation
/// should know one was sent; and Privacy may not use Handoff (Handoff uses Privacy).
/// </summary>
public interface IWithheldMessageObserver
{
    Task OnWithheldAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
