using BotRuntime.Schema;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>What a prompt says and how it judges the answer. Saved with the prompt, so keep it serialisable.</summary>
public sealed class PromptOptions
{
    /// <summary>The question; its <c>inputHint</c> becomes <c>expectingInput</c> unless set to <c>ignoringInput</c>.</summary>
    public Activity? Prompt { get; set; }

    /// <summary>Sent after every failed attempt, also when something else was sent in the same turn. Default: <see cref="Prompt"/> again.</summary>
    public Activity? RetryPrompt { get; set; }
}
