using System.Text.Json;
using AriaBot.Conversation;
using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Recognition;
using BotRuntime.State;

namespace AriaBot.Shell;

/// <summary>
/// The language a conversation speaks when it is not the channel's locale: the customer asked for it ("español",
/// "in English") or wrote in it (<see cref="Understanding.UnderstandingContext.TryOtherLanguages"/>). Kept in the
/// conversation's <see cref="ShellState"/>; every later turn is given that locale before anything reads it
/// (<see cref="ConversationLanguageMiddleware"/>), so the prompts, pages, e-mails and notices that follow use it —
/// until the channel itself sends another locale (the customer used the page's language picker), which wins.
/// </summary>
public sealed class ConversationLanguage
{
    private const string CommandPrefix = "language:";

    private readonly IStatePropertyAccessor<ShellState> _shell;
    private readonly IWords _words;

    public ConversationLanguage(ConversationState conversationState, IWords words)
    {
        ArgumentNullException.ThrowIfNull(conversationState);
        _shell = conversationState.CreateProperty<ShellState>("Shell");
        _words = words;
    }

    /// <summary>The phrases that ask for each language, as global commands of the culture the conversation is in now.</summary>
    public static IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Commands(IWords words, BotCulture culture)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(culture);
        yield return new(CommandPrefix + BotCulture.EnglishUS.Name, words.FormatAll(ShellWords.SpeakEnglishPhrases, culture.Name));
        yield return new(CommandPrefix + BotCulture.SpanishSpain.Name, words.FormatAll(ShellWords.SpeakSpanishPhrases, culture.Name));
    }

    /// <summary>The language a recognised command asks for, or null when it is no language command.</summary>
    public static BotCulture? Requested(string? command) =>
        command is not null && command.StartsWith(CommandPrefix, StringComparison.Ordinal)
            && BotCulture.TryGetExact(command[CommandPrefix.Length..], out var culture) ? culture : null;

    /// <summary>Gives the turn the conversation's chosen language, when one was chosen.</summary>
    public async Task ApplyAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (ConversationState.StorageKeyOf(turnContext.Activity) is null)
        {
            return;
        }
        var shell = await _shell.GetAsync(turnContext, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (shell?.Language is not { } chosen)
        {
            return;
        }
        // The customer changed the channel's language since (the page's picker): the channel's is the newer choice.
        if (BotCulture.Resolve(turnContext.Activity.Locale).Name != shell.ChannelLocale || !BotCulture.TryGetExact(chosen, out var culture))
        {
            (shell.Language, shell.ChannelLocale) = (null, null);
            return;
        }
        turnContext.Activity.Locale = culture.Name;
    }

    /// <summary>Follows the channel's locale again (the customer picked a language in the channel itself).</summary>
    public async Task ForgetAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (ConversationState.StorageKeyOf(turnContext.Activity) is not null
            && await _shell.GetAsync(turnContext, cancellationToken: cancellationToken).ConfigureAwait(false) is { Language: not null } shell)
        {
            (shell.Language, shell.ChannelLocale) = (null, null);
        }
    }

    /// <summary>
    /// Speaks <paramref name="culture"/> from this message on and says so in it; <paramref name="asked"/> false when
    /// the message was merely written in it, so the customer also hears how to go back.
    /// </summary>
    public async Task SwitchAsync(ITurnContext turnContext, BotCulture culture, bool asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(culture);
        var shell = (await _shell.GetAsync(turnContext, () => new ShellState(), cancellationToken).ConfigureAwait(false))!;
        // With a choice in force the turn's locale is already the chosen one; the channel's is what was kept with it.
        var channel = shell.Language is null ? BotCulture.Resolve(turnContext.Activity.Locale).Name : shell.ChannelLocale;
        (shell.Language, shell.ChannelLocale) = culture.Name == channel ? (null, null) : (culture.Name, channel);
        turnContext.Activity.Locale = culture.Name;
        await turnContext.SendActivityAsync(_words.Format(asked ? ShellWords.NowInLanguage : ShellWords.AnsweringInLanguage, culture.Name),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The global command handlers that switch language and ask the waiting question again in it.</summary>
    public IEnumerable<KeyValuePair<string, InterruptionHandler>> Handlers() =>
        BotCulture.Supported.Select(culture => new KeyValuePair<string, InterruptionHandler>(CommandPrefix + culture.Name, async (context, token) =>
        {
            await SwitchAsync(context.Context, culture, asked: true, token).ConfigureAwait(false);
            return await context.ResumeAsync(token).ConfigureAwait(false);
        }));
}

/// <summary>
/// Runs first on every turn: the conversation's chosen language replaces the channel's locale — except on the first
/// message after the customer used the customer page's language picker (its channel data carries
/// <see cref="PickedProperty"/>): their own pick ends the choice.
/// </summary>
public sealed class ConversationLanguageMiddleware(ConversationLanguage language) : BotRuntime.Builder.IMiddleware
{
    public const string PickedProperty = "ariabot.localePicked";

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        if (turnContext.Activity.ChannelData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(PickedProperty, out _))
        {
            await language.ForgetAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        await language.ApplyAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await next(cancellationToken).ConfigureAwait(false);
    }
}
