using AriaBot.Language;

namespace AriaBot.ScaleOut;

/// <summary>What the bot says about running on several instances; wordings in <c>dialogs/ScaleOut/</c>.</summary>
[WordKeys]
public static class ScaleOutWords
{
    /// <summary>A message waited its bound for the conversation's previous turn; it is kept and answered right after.</summary>
    public static readonly WordKey Busy = new("scaleOut.busy");
}
