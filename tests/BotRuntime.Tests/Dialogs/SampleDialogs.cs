using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Dialogs;

/// <summary>
/// A small assistant in the shape the real one will have: an interruptible main menu that routes to a nested
/// "switch plan" component (choice, number with validator, strict confirm, typed options and values) and a
/// payment waterfall (money). Words are picked by locale the way the host will pick them from dialogs/ files.
/// </summary>
public static class SampleDialogs
{
    public sealed class SwitchPlanOptions
    {
        public string CurrentPlan { get; set; } = string.Empty;
        public List<string> Catalog { get; set; } = [];
    }

    public sealed class PlanChange
    {
        public string Plan { get; set; } = string.Empty;
        public int Seats { get; set; }
    }

    internal static string Say(ITurnContext turn, string english, string spanish) =>
        BotCulture.Resolve(turn.Activity.Locale).IsSpanish ? spanish : english;

    private static PromptOptions Ask(ITurnContext turn, (string En, string Es) prompt, (string En, string Es)? retry = null) => new()
    {
        Prompt = MessageFactory.Text(Say(turn, prompt.En, prompt.Es)),
        RetryPrompt = retry is { } r ? MessageFactory.Text(Say(turn, r.En, r.Es)) : null,
    };

    public static InterruptionOptions Interruptions { get; } = new()
    {
        Recognizer = new PhraseCommandRecognizer(new Dictionary<string, IReadOnlyList<string>>
        {
            [GlobalCommands.Help] = ["help", "?", "ayuda"],
            [GlobalCommands.Cancel] = ["cancel", "cancelar"],
            [GlobalCommands.StartOver] = ["start over", "empezar de nuevo"],
            [GlobalCommands.Agent] = ["agent", "agente"],
        }).Recognize,
        HelpMessage = turn => MessageFactory.Text(Say(turn, "Answer the question, or say cancel, start over or agent.", "Responde a la pregunta, o di cancelar, empezar de nuevo o agente.")),
        CancelMessage = turn => MessageFactory.Text(Say(turn, "Cancelled.", "Cancelado.")),
        StartOverMessage = turn => MessageFactory.Text(Say(turn, "Starting over.", "Empezamos de nuevo.")),
        AgentMessage = turn => MessageFactory.Text(Say(turn, "A person will join shortly.", "Una persona te atenderá enseguida.")),
    };

    /// <summary>The root dialog; <paramref name="switchPlanVersion"/> lets tests simulate a redeploy.</summary>
    public static InterruptibleComponentDialog Root(int switchPlanVersion = 2, InterruptionOptions? interruptions = null)
    {
        var main = new InterruptibleComponentDialog("main", interruptions ?? Interruptions);
        main.AddDialog(new WaterfallDialog("menu")
            .Step(ChooseTaskAsync)
            .Step(RouteAsync)
            .Step(FinishAsync));
        main.AddDialog(new ChoicePrompt("task"));
        main.AddDialog(SwitchPlan(switchPlanVersion));
        main.AddDialog(Payment());
        main.AddDialog(new MoneyPrompt("amount", new MoneyOptions("USD")));
        return main;
    }

    private static Task<DialogTurnResult> ChooseTaskAsync(WaterfallStepContext step, CancellationToken token)
    {
        var options = Ask(step.Context, ("What would you like to do?", "¿Qué quieres hacer?"), ("Please pick one of the options.", "Elige una de las opciones."));
        options.Choices = [new Choice("Switch plan", ["cambiar plan", "plan"]), new Choice("Pay", ["pagar", "pago"])];
        return step.PromptAsync("task", options, token);
    }

    private static async Task<DialogTurnResult> RouteAsync(WaterfallStepContext step, CancellationToken token)
    {
        if (step.Result is PromptTooManyAttempts)
        {
            await step.Context.SendActivityAsync(Say(step.Context, "Let's leave it there. Say agent to talk to a person.", "Lo dejamos aquí. Di agente para hablar con una persona."), cancellationToken: token);
            return await step.EndDialogAsync(null, token);
        }
        return step.ResultAs<FoundChoice>().Index == 0
            ? await step.BeginDialogAsync("switchPlan", new SwitchPlanOptions { CurrentPlan = "Silver", Catalog = ["Gold", "Silver", "Bronze"] }, token)
            : await step.BeginDialogAsync("payment", null, token);
    }

    private static async Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken token)
    {
        await step.Context.SendActivityAsync(Say(step.Context, "All done.", "Listo."), cancellationToken: token);
        return await step.EndDialogAsync(step.Result, token);
    }

    public static ComponentDialog SwitchPlan(int version = 2)
    {
        var component = new ComponentDialog("switchPlan", version);
        component.AddDialog(new WaterfallDialog("switchPlanSteps", version)
            .WithOptions<SwitchPlanOptions>()
            .Step(ChoosePlanAsync)
            .Step(ChooseSeatsAsync)
            .Step(ConfirmAsync)
            .Step(ApplyAsync));
        component.AddDialog(new ChoicePrompt("plan"));
        component.AddDialog(new NumberPrompt<int>("seats", (context, token) => Task.FromResult(context.Recognized.Value is >= 1 and <= 50)));
        component.AddDialog(new ConfirmPrompt("confirmChange") { Strict = true });
        return component;
    }

    private static Task<DialogTurnResult> ChoosePlanAsync(WaterfallStepContext step, CancellationToken token)
    {
        var options = step.GetOptions<SwitchPlanOptions>()!;
        var ask = Ask(step.Context, ($"You're on {options.CurrentPlan}. Which plan would you like?", $"Tienes {options.CurrentPlan}. ¿Qué plan quieres?"));
        ask.Choices = [.. options.Catalog.Where(plan => plan != options.CurrentPlan).Select(plan => new Choice(plan))];
        return step.PromptAsync("plan", ask, token);
    }

    private static Task<DialogTurnResult> ChooseSeatsAsync(WaterfallStepContext step, CancellationToken token)
    {
        step.Values.Set("change", new PlanChange { Plan = step.ResultAs<FoundChoice>().Value });
        var ask = Ask(step.Context, ("How many seats?", "¿Cuántos puestos?"), ("Please give a number of seats from 1 to 50.", "Indica un número de puestos del 1 al 50."));
        return step.PromptAsync("seats", ask, token);
    }

    private static async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken token)
    {
        if (step.Result is PromptTooManyAttempts)
        {
            // The parent's answer to a prompt that gave up: offer a person instead of asking for ever.
            await step.Context.SendActivityAsync(Say(step.Context, "I couldn't get the number of seats. Say agent to talk to a person.", "No he entendido los puestos. Di agente para hablar con una persona."), cancellationToken: token);
            return await step.EndDialogAsync(null, token);
        }
        var change = step.Values.Get<PlanChange>("change")!;
        change.Seats = step.ResultAs<int>();
        var from = step.GetOptions<SwitchPlanOptions>()!.CurrentPlan;
        var ask = Ask(
            step.Context,
            ($"Switch from {from} to {change.Plan} with {change.Seats} seats?", $"¿Cambiar de {from} a {change.Plan} con {change.Seats} puestos?"),
            ("Please answer just yes or no.", "Responde solo sí o no."));
        return await step.PromptAsync("confirmChange", ask, token);
    }

    private static async Task<DialogTurnResult> ApplyAsync(WaterfallStepContext step, CancellationToken token)
    {
        var change = step.Values.Get<PlanChange>("change")!;
        var confirmed = step.Result is true;
        await step.Context.SendActivityAsync(confirmed
            ? Say(step.Context, $"Done: {change.Plan}, {change.Seats} seats.", $"Hecho: {change.Plan}, {change.Seats} puestos.")
            : Say(step.Context, "OK, nothing changed.", "De acuerdo, no he cambiado nada."), cancellationToken: token);
        return await step.EndDialogAsync(confirmed ? change : null, token);
    }

    public static WaterfallDialog Payment()
    {
        return new WaterfallDialog("payment")
            .Step("amount", (step, token) =>
            {
                var ask = Ask(step.Context, ("How much would you like to pay?", "¿Cuánto quieres pagar?"), ("Please give an amount in US dollars.", "Indica un importe en dólares."));
                ask.Validations = new MoneyOptions("USD");
                return step.PromptAsync("amount", ask, token);
            })
            .Step("thank", async (step, token) =>
            {
                var money = step.ResultAs<Money>();
                await step.Context.SendActivityAsync(Say(step.Context, $"Paying {money.Amount} {money.Currency}.", $"Pagando {money.Amount} {money.Currency}."), cancellationToken: token);
                return await step.EndDialogAsync(money, token);
            });
    }

    /// <summary>Every dialog of the sample, for the snapshot.</summary>
    public static IEnumerable<Dialog> All() => [Root()];
}
