using AriaBot.Catalog;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Escalation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using AriaBot.SignIn;
using AriaBot.Understanding;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Shell;

/// <summary>Where the main loop stands: what to route, what was chosen, how often we failed to understand.</summary>
public sealed class MainLoopOptions
{
    /// <summary>Text to route without asking (a request typed before sign-in, the text behind a "did you mean").</summary>
    public string? Utterance { get; set; }

    /// <summary>The intent the customer picked from "did you mean"; overrides the classifier for <see cref="Utterance"/>.</summary>
    public Intent? ChosenIntent { get; set; }

    /// <summary>Ask "anything else?" rather than the opening question.</summary>
    public bool AfterTask { get; set; }

    /// <summary>Wait for the next message without asking anything (this turn already said what to do).</summary>
    public bool Quiet { get; set; }

    public int Misunderstood { get; set; }
}

/// <summary>
/// The conversation's root: understands what the customer wants (free text or a button), routes it to the use
/// case, and comes back with "anything else?". Global commands work at any point: help (about the task at hand),
/// cancel, start over, sign out and talk to a person.
/// </summary>
public sealed partial class MainDialog : InterruptibleComponentDialog
{
    public const string DialogId = "main";
    private const string LoopId = "mainLoop";
    private const string RequestPrompt = "request";
    private const string DidYouMeanPrompt = "didYouMean";

    private readonly Dictionary<Intent, IUseCase> _useCases;
    private readonly IUnderstander _understander;
    private readonly IUnderstandingCatalog _catalog;
    private readonly IWords _words;
    private readonly IAccountSession _session;
    private readonly IEscalation _escalation;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly MenuWords _menu;
    private readonly GlobalCommandRecognizer _commands;
    private readonly ConversationLanguage _language;

    public MainDialog(
        IEnumerable<IUseCase> useCases,
        SignInDialog signIn,
        ConfirmChangeDialog confirmChange,
        IUnderstander understander,
        IUnderstandingCatalog catalog,
        GlobalCommandRecognizer commands,
        IWords words,
        IAccountSession session,
        IEscalation escalation,
        IOptionsMonitor<SelfServiceOptions> selfService,
        ConversationLanguage language)
        : this(new Self(), useCases, signIn, confirmChange, understander, catalog, commands, words, session, escalation, selfService, language)
    {
    }

    // The interruption handlers are given to the base constructor, before "this" exists; they reach the dialog
    // through this holder, filled in as soon as the constructor runs.
    private sealed class Self
    {
        public MainDialog? Dialog { get; set; }
    }

    private MainDialog(
        Self self,
        IEnumerable<IUseCase> useCases,
        SignInDialog signIn,
        ConfirmChangeDialog confirmChange,
        IUnderstander understander,
        IUnderstandingCatalog catalog,
        GlobalCommandRecognizer commands,
        IWords words,
        IAccountSession session,
        IEscalation escalation,
        IOptionsMonitor<SelfServiceOptions> selfService,
        ConversationLanguage language)
        : base(DialogId, BuildInterruptions(self, commands, words, session, escalation, language), version: 1)
    {
        self.Dialog = this;
        ArgumentNullException.ThrowIfNull(useCases);
        _useCases = useCases.ToDictionary(useCase => useCase.Intent);
        _understander = understander;
        _catalog = catalog;
        _words = words;
        _session = session;
        _escalation = escalation;
        _selfService = selfService;
        _commands = commands;
        _language = language;
        _menu = new MenuWords([.. _useCases.Values], words, selfService);

        AddDialog(new WaterfallDialog(LoopId, version: 1)
            .WithOptions<MainLoopOptions>()
            .Step(AskAsync)
            .Step(RouteAsync)
            .Step(AfterTaskAsync));
        AddDialog(new TextPrompt(RequestPrompt) { Render = (turn, prompt, _) => MenuQuestion.RenderAsync(this, _words, turn, prompt) });
        AddDialog(new ChoicePrompt(DidYouMeanPrompt));
        AddDialog(signIn);
        AddDialog(confirmChange);
        foreach (var useCase in _useCases.Values)
        {
            AddDialog(useCase.Dialog);
        }
    }

    /// <summary>The suggested actions of the menu: the enabled use cases, and sign-in when signed out.</summary>
    public IReadOnlyList<CardAction> MenuButtons(string? locale, bool signedIn) => _menu.Buttons(locale, signedIn);

    private async Task<DialogTurnResult> AskAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var options = step.GetOptions<MainLoopOptions>();
        var activity = step.Context.Activity;
        if (options?.Utterance is not null)
        {
            return await step.NextAsync(options.Utterance, cancellationToken).ConfigureAwait(false);
        }
        // The root began on the customer's own message: that message is the request.
        if (options is null && activity.IsType(ActivityTypes.Message) && !string.IsNullOrWhiteSpace(activity.Text))
        {
            return await step.NextAsync(activity.Text, cancellationToken).ConfigureAwait(false);
        }
        if (options?.Quiet == true)
        {
            // The next message becomes this step's result, as a waterfall does when a step ends the turn.
            return Dialog.EndOfTurn;
        }
        var signedIn = (await _session.CheckAsync(step.Context, cancellationToken).ConfigureAwait(false)).IsSignedIn;
        // Which question, not its rendered buttons: the prompt renders it from words whenever it asks (MenuQuestion).
        return await step.PromptAsync(RequestPrompt, new PromptOptions
        {
            Validations = new MenuQuestion(options?.AfterTask == true, signedIn),
            MaxAttempts = int.MaxValue,
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> RouteAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var turn = step.Context;
        var locale = turn.Activity.Locale;
        var begunOnThisMessage = step.GetOptions<MainLoopOptions>() is null;
        var options = step.GetOptions<MainLoopOptions>() ?? new MainLoopOptions();
        var text = step.Result as string ?? string.Empty;
        // "español" as the message the root began on. Once the loop has run a request it carries options, and every
        // later message passes the component's interruption check (which handles language commands) first: not
        // recognised twice.
        if (begunOnThisMessage && ConversationLanguage.Requested(_commands.Recognize(turn)) is { } asked)
        {
            await _language.SwitchAsync(turn, asked, asked: true, cancellationToken).ConfigureAwait(false);
            return await LoopAsync(step, new MainLoopOptions(), cancellationToken).ConfigureAwait(false);
        }
        var understanding = _understander.Understand(text, locale, new UnderstandingContext
        {
            Catalog = await _catalog.ItemsAsync(cancellationToken).ConfigureAwait(false),
            TryOtherLanguages = options.ChosenIntent is null,
        });
        if (understanding.Culture != BotCulture.Resolve(locale))
        {
            await _language.SwitchAsync(turn, understanding.Culture, asked: false, cancellationToken).ConfigureAwait(false);
            locale = turn.Activity.Locale;
        }
        var intent = options.ChosenIntent ?? (understanding.IsConfident ? understanding.Intent : Intent.None);
        step.Values.Set("utterance", text);

        switch (intent)
        {
            case Intent.Greeting:
                // A greeting opens the conversation again: the menu asks its opening question, not "anything else?".
                await SayAsync(turn, ShellWords.Greeting, cancellationToken).ConfigureAwait(false);
                return await LoopAsync(step, new MainLoopOptions(), cancellationToken).ConfigureAwait(false);
            case Intent.Goodbye:
                await SayAsync(turn, ShellWords.Goodbye, cancellationToken).ConfigureAwait(false);
                return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
            case Intent.Help:
                await turn.SendActivityAsync(GeneralHelp(turn), cancellationToken).ConfigureAwait(false);
                return await LoopAsync(step, new MainLoopOptions { AfterTask = true }, cancellationToken).ConfigureAwait(false);
            case Intent.Cancel or Intent.StartOver:
                await SayAsync(turn, ShellWords.NothingToCancel, cancellationToken).ConfigureAwait(false);
                return await LoopAsync(step, new MainLoopOptions { AfterTask = true }, cancellationToken).ConfigureAwait(false);
            case Intent.SignIn:
                var check = await _session.CheckAsync(turn, cancellationToken).ConfigureAwait(false);
                if (check.IsSignedIn)
                {
                    await turn.SendActivityAsync(_words.Format(ShellWords.AlreadySignedIn, locale, new { name = check.AriaUserId ?? string.Empty }), cancellationToken: cancellationToken).ConfigureAwait(false);
                    return await LoopAsync(step, new MainLoopOptions { AfterTask = true }, cancellationToken).ConfigureAwait(false);
                }
                return await step.BeginDialogAsync(SignInDialog.DialogId, new SignInDialogOptions { Reason = SignInReason.Requested }, cancellationToken).ConfigureAwait(false);
            case Intent.SignOut:
                await SignOutAsync(turn, _session, _words, cancellationToken).ConfigureAwait(false);
                return await LoopAsync(step, new MainLoopOptions { AfterTask = true }, cancellationToken).ConfigureAwait(false);
            case Intent.TalkToAgent:
                await _escalation.EscalateAsync(turn, EscalationReason.CustomerAsked, cancellationToken).ConfigureAwait(false);
                return Dialog.EndOfTurn;
            case Intent.None:
                return await NotUnderstoodAsync(step, understanding, options, cancellationToken).ConfigureAwait(false);
        }

        if (_useCases.TryGetValue(intent, out var useCase) && useCase.IsEnabled(_selfService.CurrentValue.Sections))
        {
            return await step.BeginDialogAsync(useCase.Dialog.Id, useCase.OptionsFrom(understanding), cancellationToken).ConfigureAwait(false);
        }
        await turn.SendActivityAsync(_words.Format(ShellWords.NotInChat, locale, new { task = _words.Format(IntentWords.Label(intent), locale) }), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await LoopAsync(step, new MainLoopOptions { AfterTask = true }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> NotUnderstoodAsync(WaterfallStepContext step, UnderstandingResult understanding, MainLoopOptions options, CancellationToken cancellationToken)
    {
        var turn = step.Context;
        var locale = turn.Activity.Locale;
        if (DidYouMean.For(understanding, _words, locale) is { } offer)
        {
            step.Values.Set("offer", offer.Options.Select(option => option.Intent).ToList());
            return await step.PromptAsync(DidYouMeanPrompt, new PromptOptions
            {
                Prompt = MessageFactory.Text(offer.Text, inputHint: InputHints.ExpectingInput),
                Choices = [.. offer.Options.Select(option => new Choice(option.Label)), new Choice(offer.NeitherLabel)],
                MaxAttempts = 1,
            }, cancellationToken).ConfigureAwait(false);
        }
        var misunderstood = options.Misunderstood + 1;
        if (misunderstood >= _selfService.CurrentValue.Escalation.OfferPersonAfterMisunderstandings)
        {
            await turn.SendActivityAsync(MessageFactory.SuggestedActions(
                [CardAction.ImBack(_words.Format(ShellWords.TalkToPersonButton, locale)), CardAction.ImBack(_words.Format(ShellWords.HelpButton, locale))],
                _words.Format(ShellWords.OfferPerson, locale)), cancellationToken).ConfigureAwait(false);
            return await LoopAsync(step, new MainLoopOptions { AfterTask = true, Misunderstood = 0 }, cancellationToken, ask: false).ConfigureAwait(false);
        }
        // Off-topic (the weather, a joke, another company) gets an honest "not here" and the menu; it still counts towards offering a person.
        await SayAsync(turn, understanding.IsOffTopic ? ShellWords.OffTopic : CommonWords.NotUnderstood, cancellationToken).ConfigureAwait(false);
        return await LoopAsync(step, new MainLoopOptions { AfterTask = true, Misunderstood = misunderstood }, cancellationToken, ask: understanding.IsOffTopic).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AfterTaskAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Values.Get<List<Intent>>("offer") is { } offered)
        {
            // The answer to "did you mean…": one of the two readings, or neither.
            if (step.Result is FoundChoice chosen && chosen.Index < offered.Count)
            {
                return await LoopAsync(step, new MainLoopOptions { Utterance = step.Values.Get<string>("utterance"), ChosenIntent = offered[chosen.Index] }, cancellationToken).ConfigureAwait(false);
            }
            await SayAsync(step.Context, ShellWords.TellMeAgain, cancellationToken).ConfigureAwait(false);
            return await LoopAsync(step, new MainLoopOptions { AfterTask = true }, cancellationToken, ask: false).ConfigureAwait(false);
        }
        // A task that ended on a message meant for something else (PassOnUtterance) has that message routed now.
        return await LoopAsync(step, step.Result is PassOnUtterance passOn ? new MainLoopOptions { Utterance = passOn.Text } : new MainLoopOptions { AfterTask = true }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Back to the top of the loop; with <paramref name="ask"/> false the loop waits silently (we just spoke).</summary>
    private static Task<DialogTurnResult> LoopAsync(WaterfallStepContext step, MainLoopOptions next, CancellationToken cancellationToken, bool ask = true)
    {
        next.Quiet = !ask;
        return step.ReplaceDialogAsync(LoopId, next, cancellationToken);
    }

    private Activity GeneralHelp(ITurnContext turn) => MessageFactory.Text(_menu.Help(turn.Activity.Locale));

    private Task SayAsync(ITurnContext turn, WordKey key, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(_words.Format(key, turn.Activity.Locale), cancellationToken: cancellationToken);

    private static async Task SignOutAsync(ITurnContext turn, IAccountSession session, IWords words, CancellationToken cancellationToken)
    {
        var wasSignedIn = await session.SignOutAsync(turn, cancellationToken).ConfigureAwait(false);
        await turn.SendActivityAsync(words.Format(wasSignedIn ? ShellWords.SignedOut : ShellWords.NotSignedIn, turn.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
