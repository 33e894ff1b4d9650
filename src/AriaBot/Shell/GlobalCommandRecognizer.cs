using AriaBot.Understanding;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Recognition;

namespace AriaBot.Shell;

/// <summary>Global commands beyond the dialog library's four.</summary>
public static class ShellCommands
{
    public const string SignOut = "signOut";

    /// <summary>
    /// A click on a preview card's Confirm or Cancel. Never a phrase command (its text "Cancel" must not cancel the
    /// task): the open confirmation judges it, or, with none open, the customer hears that nothing was changed.
    /// </summary>
    public const string PreviewAnswer = "previewAnswer";

    /// <summary>"I forgot my password" as a whole message: an interruption only while a sign-in waits (<see cref="ForgotPasswordInterruption"/>).</summary>
    public const string ForgotPassword = "forgotPassword";
}

/// <summary>
/// Recognises the commands that work anywhere — help, cancel, start over, sign out, talk to a person, another
/// language — only when the whole message is one of the intent's own example phrases in <c>dialogs/Intents</c>
/// (or a button posting <c>{"command": …}</c>), give or take fillers ("actually, never mind"). "Cancel" interrupts;
/// "cancel my plan" is an answer for the dialog. The conversation's own language is tried first, then the others.
/// </summary>
public sealed class GlobalCommandRecognizer
{
    private readonly Dictionary<BotCulture, PhraseCommandRecognizer> _byCulture;

    public GlobalCommandRecognizer(IntentExamples examples, Func<BotCulture, IEnumerable<string>>? extraAgentPhrases = null,
        Func<BotCulture, IEnumerable<string>>? extraForgotPasswordPhrases = null,
        Func<BotCulture, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>>? extraCommands = null,
        Func<BotCulture, IEnumerable<string>>? fillers = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var commands = new Dictionary<Intent, string>
        {
            [Intent.Help] = GlobalCommands.Help,
            [Intent.Cancel] = GlobalCommands.Cancel,
            [Intent.StartOver] = GlobalCommands.StartOver,
            [Intent.TalkToAgent] = GlobalCommands.Agent,
            [Intent.SignOut] = ShellCommands.SignOut,
            [Intent.ResetPassword] = ShellCommands.ForgotPassword,
        };
        _byCulture = BotCulture.Supported.ToDictionary(culture => culture, culture =>
        {
            var phrases = examples.For(culture)
                .Where(example => commands.ContainsKey(example.Intent))
                .GroupBy(example => commands[example.Intent])
                .ToDictionary(group => group.Key, group => (IReadOnlyList<string>)[.. group.Select(example => example.Text)]);
            if (extraAgentPhrases is not null)
            {
                phrases[GlobalCommands.Agent] = [.. phrases.GetValueOrDefault(GlobalCommands.Agent) ?? [], .. extraAgentPhrases(culture)];
            }
            // Short forms and typos ("forgot pwd", "olvide contrasena") that are no example of the intent.
            if (extraForgotPasswordPhrases is not null)
            {
                phrases[ShellCommands.ForgotPassword] = [.. phrases.GetValueOrDefault(ShellCommands.ForgotPassword) ?? [], .. extraForgotPasswordPhrases(culture)];
            }
            foreach (var (command, extra) in extraCommands?.Invoke(culture) ?? [])
            {
                phrases[command] = extra;
            }
            return new PhraseCommandRecognizer(phrases, fillers?.Invoke(culture));
        });
    }

    public string? Recognize(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        // A button of a dialog (a preview's Cancel posts the text "Cancel" with its action) answers that dialog;
        // only typed text and command buttons are global commands.
        if (turnContext.Activity.Value is { ValueKind: System.Text.Json.JsonValueKind.Object } value && value.TryGetProperty("action", out _))
        {
            return null;
        }
        var own = BotCulture.Resolve(turnContext.Activity.Locale);
        if (_byCulture[own].Recognize(turnContext) is { } command)
        {
            return command;
        }
        // A conversation may speak another language than the one the customer types in (it followed their Spanish,
        // or the page's picker): "cancel" in a Spanish conversation, "ayuda" in an English one, still work.
        foreach (var culture in BotCulture.Supported)
        {
            if (culture != own && _byCulture[culture].Recognize(turnContext) is { } other)
            {
                return other;
            }
        }
        return null;
    }
}
