using BotRuntime.Schema;

namespace BotRuntime.Hosting;

/// <summary>
/// Words, in the customer's language, the notice sent when a message waited its bound for the conversation's previous
/// turn (still running here or on another instance) and is put back to be tried again. Register one in DI; without
/// one the runtime says <see cref="BusyNotices.DefaultText"/>.
/// </summary>
public interface IBusyConversationText
{
    /// <summary>The sentence for <paramref name="activity"/>'s conversation; null to send nothing.</summary>
    string? For(Activity activity);
}
