using AriaBot.Conversation;
using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Schema;

namespace AriaBot.Shell;

/// <summary>
/// Which menu question the main loop's prompt asks, saved in the prompt's state instead of the rendered question
/// (issue 22): the text and one button per enabled use case were about 1.2 KB of every conversation's state, kept only
/// for a re-prompt. The question is rendered from words each time it is asked, in the turn's locale and with the
/// sections enabled then. State saved by earlier builds, with the rendered question in it, is asked as saved.
/// </summary>
/// <param name="AfterTask">"Anything else?" rather than the opening question.</param>
/// <param name="SignedIn">Whether the customer was signed in when asked (the menu then has no sign-in button).</param>
public sealed record MenuQuestion(bool AfterTask, bool SignedIn)
{
    /// <summary>The prompt's question from the options' <see cref="MenuQuestion"/>; null when they hold none.</summary>
    internal static Task<Activity?> RenderAsync(MainDialog main, IWords words, ITurnContext turn, PromptOptions options)
    {
        if (options.GetValidations<MenuQuestion>() is not { } question)
        {
            return Task.FromResult<Activity?>(null);
        }
        var locale = turn.Activity.Locale;
        var text = words.Format(question.AfterTask ? ShellWords.AnythingElse : ShellWords.MenuPrompt, locale);
        return Task.FromResult<Activity?>(MessageFactory.SuggestedActions(main.MenuButtons(locale, question.SignedIn), text, InputHints.ExpectingInput));
    }
}
