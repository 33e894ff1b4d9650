using AriaBot.Language;
using BotRuntime.Hosting;
using BotRuntime.Schema;

namespace AriaBot.ScaleOut;

/// <summary>The runtime's "one moment" notice (<see cref="BusyNotices"/>) in the customer's language.</summary>
public sealed class BusyConversationText(IWords words) : IBusyConversationText
{
    public string? For(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return words.Format(ScaleOutWords.Busy, activity.Locale);
    }
}
