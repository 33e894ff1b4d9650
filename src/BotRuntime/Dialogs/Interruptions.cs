using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace BotRuntime.Dialogs;

/// <summary>The names of the global commands <see cref="InterruptibleComponentDialog"/> handles out of the box.</summary>
public static class GlobalCommands
{
    public const string Help = "help";
    public const string Cancel = "cancel";
    public const string StartOver = "startOver";
    public const string Agent = "agent";
}

/// <summary>Handles one global command mid-conversation; returns what the component's turn returns.</summary>
public delegate Task<DialogTurnResult> InterruptionHandler(InterruptionContext context, CancellationToken cancellationToken);

/// <summary>
/// A command interrupting the dialogs inside a component, with the three ways out: carry on where we were,
/// end everything, or start again from the root.
/// </summary>
public sealed class InterruptionContext
{
    internal InterruptionContext(DialogContext innerDc, string command)
    {
        InnerDc = innerDc;
        Command = command;
    }

    /// <summary>The component's inner stack (its top is the prompt or dialog that was interrupted).</summary>
    public DialogContext InnerDc { get; }

    public ITurnContext Context => InnerDc.Context;

    public string Command { get; }

    /// <summary>Asks the interrupted question again and keeps waiting in the same step; the prompt's attempt count is untouched.</summary>
    public async Task<DialogTurnResult> ResumeAsync(CancellationToken cancellationToken = default)
    {
        await InnerDc.RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
        return Dialog.EndOfTurn;
    }

    /// <summary>Ends every dialog of the conversation, this component's parents included.</summary>
    public Task<DialogTurnResult> CancelAllAsync(CancellationToken cancellationToken = default) =>
        InnerDc.CancelAllDialogsAsync(cancelParents: true, cancellationToken);

    /// <summary>Ends every dialog and begins the conversation's root dialog (the bottom of the root stack) again.</summary>
    public async Task<DialogTurnResult> StartOverAsync(object? rootOptions = null, CancellationToken cancellationToken = default)
    {
        var root = InnerDc.Root;
        var rootDialogId = root.Stack.Count > 0 ? root.Stack[^1].Id : null;
        await CancelAllAsync(cancellationToken).ConfigureAwait(false);
        return rootDialogId is null
            ? new DialogTurnResult(DialogTurnStatus.Cancelled)
            : await root.BeginDialogAsync(rootDialogId, rootOptions, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Recognises global commands by whole utterance (case, accents, surrounding punctuation and spaces ignored), so
/// "help" interrupts but "I need help with my bill" does not; and by a button posting <c>{"command": "agent"}</c>.
/// Phrases come from the host (the assistant keeps them per locale in <c>dialogs/</c>); <see cref="EnglishDefaults"/> is a neutral start.
/// </summary>
public sealed class PhraseCommandRecognizer
{
    // A command, fillers and all, is a short message; anything longer is an answer and is not looked at twice.
    private const int MaxMessageLength = 256;
    private const int MaxWords = 32;

    private readonly Dictionary<string, string> _commandByPhrase = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _commandLookup;
    private readonly int _longestPhrase;
    private readonly string[][] _fillers;

    /// <param name="phrasesByCommand">Each command's whole-message phrases.</param>
    /// <param name="fillers">
    /// Words (or short runs of words) that may lead or end a phrase without changing it: "actually, never mind",
    /// "ok stop", "help please". Default none. A message of fillers alone ("no thanks") is no command.
    /// </param>
    public PhraseCommandRecognizer(IReadOnlyDictionary<string, IReadOnlyList<string>> phrasesByCommand, IEnumerable<string>? fillers = null)
    {
        ArgumentNullException.ThrowIfNull(phrasesByCommand);
        foreach (var (command, phrases) in phrasesByCommand)
        {
            foreach (var phrase in phrases)
            {
                var key = string.Join(' ', Words(phrase) is { Length: > 0 } words ? words : [TextFolding.Fold(phrase.Trim())]);
                _commandByPhrase[key] = command;
                _longestPhrase = Math.Max(_longestPhrase, key.Length);
            }
        }
        _commandLookup = _commandByPhrase.GetAlternateLookup<ReadOnlySpan<char>>();
        _fillers = [.. (fillers ?? []).Select(filler => Words(filler)).Where(words => words.Length > 0).OrderByDescending(words => words.Length)];
    }

    public static PhraseCommandRecognizer EnglishDefaults { get; } = new(new Dictionary<string, IReadOnlyList<string>>
    {
        [GlobalCommands.Help] = ["help", "?", "what can I say", "what can you do"],
        [GlobalCommands.Cancel] = ["cancel", "quit", "stop", "never mind", "nevermind", "forget it"],
        [GlobalCommands.StartOver] = ["start over", "restart", "start again", "main menu"],
        [GlobalCommands.Agent] = ["agent", "human", "person", "talk to a person", "talk to a human", "talk to an agent", "speak to a person", "representative", "operator"],
    });

    public string? Recognize(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        if (activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String)
        {
            return command.GetString();
        }
        return activity.Text is { Length: > 0 and <= MaxMessageLength } text ? Recognize(text) : null;
    }

    // Every message of a conversation comes through here and nearly none is a command (issue 22): the text is folded
    // and cut into words on the stack, and the phrase is looked up by span, so that a miss allocates nothing.
    private string? Recognize(string text)
    {
        Span<char> folded = stackalloc char[text.Length];
        Span<Range> words = stackalloc Range[MaxWords];
        var count = 0;
        var wordStart = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var separator = i == text.Length || IsSeparator(text[i]);
            if (!separator)
            {
                folded[i] = TextFolding.FoldChar(text[i]);
                wordStart = wordStart < 0 ? i : wordStart;
            }
            else if (wordStart >= 0)
            {
                if (count == MaxWords)
                {
                    return null;
                }
                words[count++] = wordStart..i;
                wordStart = -1;
            }
        }
        if (count == 0)
        {
            // "?" alone is a phrase, though punctuation elsewhere is noise ("Help!", "¿ayuda?").
            var trimmed = text.AsSpan().Trim();
            for (var i = 0; i < trimmed.Length; i++)
            {
                folded[i] = TextFolding.FoldChar(trimmed[i]);
            }
            return _commandLookup.TryGetValue(folded[..trimmed.Length], out var alone) ? alone : null;
        }
        Span<char> key = stackalloc char[text.Length];
        var (start, end) = (0, count);
        if (Lookup(folded, words[start..end], key) is { } found)
        {
            return found;
        }
        while (_fillers.Length > 0 && start < end && PeelFiller(folded, words, ref start, ref end))
        {
            if (start < end && Lookup(folded, words[start..end], key) is { } core)
            {
                return core;
            }
        }
        return null;
    }

    private string? Lookup(ReadOnlySpan<char> folded, ReadOnlySpan<Range> words, Span<char> key)
    {
        var length = 0;
        foreach (var word in words)
        {
            var (offset, wordLength) = word.GetOffsetAndLength(folded.Length);
            if (length + wordLength + (length > 0 ? 1 : 0) > _longestPhrase)
            {
                return null;
            }
            if (length > 0)
            {
                key[length++] = ' ';
            }
            folded.Slice(offset, wordLength).CopyTo(key[length..]);
            length += wordLength;
        }
        return _commandLookup.TryGetValue(key[..length], out var command) ? command : null;
    }

    // Takes one filler (the longest that fits) off the front or the back; false when neither end has one.
    private bool PeelFiller(ReadOnlySpan<char> folded, ReadOnlySpan<Range> words, ref int start, ref int end)
    {
        foreach (var filler in _fillers)
        {
            if (filler.Length > end - start)
            {
                continue;
            }
            if (Matches(folded, words.Slice(start, filler.Length), filler))
            {
                start += filler.Length;
                return true;
            }
            if (Matches(folded, words.Slice(end - filler.Length, filler.Length), filler))
            {
                end -= filler.Length;
                return true;
            }
        }
        return false;
    }

    private static bool Matches(ReadOnlySpan<char> folded, ReadOnlySpan<Range> words, string[] filler)
    {
        for (var i = 0; i < filler.Length; i++)
        {
            if (!folded[words[i]].SequenceEqual(filler[i]))
            {
                return false;
            }
        }
        return true;
    }

    // Punctuation between words counts as a space: "actually, never mind" is "actually" + "never mind".
    private static bool IsSeparator(char ch) => char.IsWhiteSpace(ch) || ch is '.' or '!' or '?' or '¿' or '¡' or ',' or ';' or ':';

    private static string[] Words(string text) =>
        TextFolding.Fold(text).Split([' ', '\t', '\n', '\r', '.', '!', '?', '¿', '¡', ',', ';', ':'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Which commands interrupt, and what is said and done for each. Every sentence is a delegate so the host can
/// answer in the user's language; the defaults are neutral English.
/// </summary>
public sealed class InterruptionOptions
{
    /// <summary>Finds the command in a message; null when there is none. Default <see cref="PhraseCommandRecognizer.EnglishDefaults"/>.</summary>
    public Func<ITurnContext, string?> Recognizer { get; init; } = PhraseCommandRecognizer.EnglishDefaults.Recognize;

    /// <summary>Sent for <see cref="GlobalCommands.Help"/> before the question is asked again.</summary>
    public Func<ITurnContext, Activity?> HelpMessage { get; init; } = _ => MessageFactory.Text(
        "You can answer the question above, or say \"cancel\" to stop, \"start over\" to begin again, or \"agent\" to talk to a person.");

    /// <summary>Sent for <see cref="GlobalCommands.Cancel"/> once everything has ended.</summary>
    public Func<ITurnContext, Activity?> CancelMessage { get; init; } = _ => MessageFactory.Text("OK, I've cancelled that.");

    /// <summary>Sent for <see cref="GlobalCommands.StartOver"/> before the root dialog begins again.</summary>
    public Func<ITurnContext, Activity?> StartOverMessage { get; init; } = _ => MessageFactory.Text("OK, let's start over.");

    /// <summary>Sent by the default <see cref="Escalate"/>.</summary>
    public Func<ITurnContext, Activity?> AgentMessage { get; init; } = _ => MessageFactory.Text("OK, I'll ask a person to help you.");

    /// <summary>
    /// The escalation seam for <see cref="GlobalCommands.Agent"/>: hand the conversation to a person. Default null:
    /// say <see cref="AgentMessage"/> and end the dialogs so the person finds no question pending. The handoff
    /// feature supplies its own (begin its handoff dialog, raise its handoff event…).
    /// </summary>
    public InterruptionHandler? Escalate { get; init; }

    /// <summary>
    /// Extra or replacement handlers by command name; they win over the built-in four. A command the recogniser
    /// finds with no handler is not an interruption: the message goes to the dialog as usual.
    /// </summary>
    public IReadOnlyDictionary<string, InterruptionHandler> Handlers { get; init; } = new Dictionary<string, InterruptionHandler>();

    internal InterruptionHandler? HandlerFor(string command)
    {
        if (Handlers.TryGetValue(command, out var custom))
        {
            return custom;
        }
        return command switch
        {
            GlobalCommands.Help => async (context, token) =>
            {
                await SendAsync(context.Context, HelpMessage, token).ConfigureAwait(false);
                return await context.ResumeAsync(token).ConfigureAwait(false);
            },
            GlobalCommands.Cancel => async (context, token) =>
            {
                var result = await context.CancelAllAsync(token).ConfigureAwait(false);
                await SendAsync(context.Context, CancelMessage, token).ConfigureAwait(false);
                return result;
            },
            GlobalCommands.StartOver => async (context, token) =>
            {
                await SendAsync(context.Context, StartOverMessage, token).ConfigureAwait(false);
                return await context.StartOverAsync(null, token).ConfigureAwait(false);
            },
            GlobalCommands.Agent => Escalate ?? (async (context, token) =>
            {
                var result = await context.CancelAllAsync(token).ConfigureAwait(false);
                await SendAsync(context.Context, AgentMessage, token).ConfigureAwait(false);
                return result;
            }),
            _ => null,
        };
    }

    internal static async Task SendAsync(ITurnContext turnContext, Func<ITurnContext, Activity?>? message, CancellationToken cancellationToken)
    {
        if (message?.Invoke(turnContext) is { } activity)
        {
            await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// A component whose dialogs can be interrupted at any step by global commands — help, cancel, start over, talk
/// to a person — recognised in the user's message before it reaches the waiting prompt or step. Help answers and
/// asks the same question again (the prompt's attempts are not used up); cancel ends every dialog, this
/// component's parents included, so no parent resumes by mistake; start over ends everything and begins the root
/// dialog again; agent goes to <see cref="InterruptionOptions.Escalate"/>. When components nest, the outermost
/// interruptible one handles the command. Interruptions are checked only while the component continues, never on
/// the message that begins it.
/// </summary>
public class InterruptibleComponentDialog : ComponentDialog
{
    public InterruptibleComponentDialog(string id, InterruptionOptions? interruptions = null, int version = 1)
        : base(id, version)
    {
        Interruptions = interruptions ?? new InterruptionOptions();
    }

    public InterruptionOptions Interruptions { get; }

    protected override async Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        var turnContext = innerDc.Context;
        if (turnContext.Activity.IsType(ActivityTypes.Message)
            && Interruptions.Recognizer(turnContext) is { } command
            && Interruptions.HandlerFor(command) is { } handler)
        {
            return await handler(new InterruptionContext(innerDc, command), cancellationToken).ConfigureAwait(false);
        }
        return await base.OnContinueDialogAsync(innerDc, cancellationToken).ConfigureAwait(false);
    }
}
