using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Escalation;
using AriaBot.Language;
using AriaBot.Session;
using AriaBot.SignIn;
using AriaBot.Understanding;
using BotRuntime.Dialogs;
using BotRuntime.Schema;

namespace AriaBot.Shell;

/// <summary>The main dialog's global commands: what each does wherever the customer is.</summary>
public sealed partial class MainDialog
{
    private static InterruptionOptions BuildInterruptions(Self self, GlobalCommandRecognizer commands, IWords words, IAccountSession session, IEscalation escalation,
        ConversationLanguage language) => new()
    {
        Recognizer = turn => PreviewCard.IsAnswer(turn.Activity) ? ShellCommands.PreviewAnswer : commands.Recognize(turn),
        Handlers = new Dictionary<string, InterruptionHandler>
        {
            [GlobalCommands.Help] = async (context, token) =>
            {
                var locale = context.Context.Activity.Locale;
                var task = self.Dialog!.CurrentTask(context.InnerDc);
                var help = task is null
                    ? self.Dialog.GeneralHelp(context.Context)
                    : MessageFactory.Text(words.Format(ShellWords.HelpInTask, locale, new { task = words.Format(IntentWords.Label(task.Value), locale) }));
                await context.Context.SendActivityAsync(help, token).ConfigureAwait(false);
                return await context.ResumeAsync(token).ConfigureAwait(false);
            },
            [GlobalCommands.Cancel] = async (context, token) =>
            {
                if (self.Dialog!.CurrentTask(context.InnerDc) is null && !InSignIn(context.InnerDc))
                {
                    await context.Context.SendActivityAsync(words.Format(ShellWords.NothingToCancel, context.Context.Activity.Locale), cancellationToken: token).ConfigureAwait(false);
                    return Dialog.EndOfTurn;
                }
                await context.Context.SendActivityAsync(words.Format(ShellWords.Cancelled, context.Context.Activity.Locale), cancellationToken: token).ConfigureAwait(false);
                return await context.StartOverAsync(new MainLoopOptions { AfterTask = true }, token).ConfigureAwait(false);
            },
            [GlobalCommands.StartOver] = async (context, token) =>
            {
                await context.Context.SendActivityAsync(words.Format(ShellWords.StartingOver, context.Context.Activity.Locale), cancellationToken: token).ConfigureAwait(false);
                return await context.StartOverAsync(new MainLoopOptions(), token).ConfigureAwait(false);
            },
            [GlobalCommands.Agent] = async (context, token) =>
            {
                await escalation.EscalateAsync(context.Context, EscalationReason.CustomerAsked, token).ConfigureAwait(false);
                return Dialog.EndOfTurn;
            },
            [ShellCommands.PreviewAnswer] = async (context, token) =>
            {
                if (AtConfirmation(context.InnerDc))
                {
                    // Not an interruption: the confirmation decides whether it is this preview's answer or a stale one.
                    return await context.InnerDc.ContinueDialogAsync(token).ConfigureAwait(false);
                }
                // An old card clicked after its confirmation ended (invariant 2, docs/invariants.md): nothing to confirm, and say so.
                await context.Context.SendActivityAsync(words.Format(ChangeWords.NoPreviewOpen, context.Context.Activity.Locale), cancellationToken: token).ConfigureAwait(false);
                return await context.ResumeAsync(token).ConfigureAwait(false);
            },
            [ShellCommands.ForgotPassword] = (context, token) => ForgotPasswordInterruption.HandleAsync(context, self.Dialog!._selfService, token),
            [ShellCommands.SignOut] = async (context, token) =>
            {
                await SignOutAsync(context.Context, session, words, token).ConfigureAwait(false);
                // Whatever was in progress belonged to the session that just ended.
                return await context.StartOverAsync(new MainLoopOptions { AfterTask = true }, token).ConfigureAwait(false);
            },
        }.Concat(language.Handlers()).ToDictionary(),
    };

    /// <summary>The use case in progress on the main loop's stack, if any (for help and cancel).</summary>
    private Intent? CurrentTask(DialogContext innerDc)
    {
        foreach (var instance in innerDc.Stack)
        {
            var useCase = _useCases.Values.FirstOrDefault(candidate => candidate.Dialog.Id == instance.Id);
            if (useCase is not null)
            {
                return useCase.Intent;
            }
        }
        return null;
    }

    /// <summary>True when a preview waits for its confirmation: the shared confirm dialog is on the stack, or on the inner stack of a component on it, however deep.</summary>
    private static bool AtConfirmation(DialogContext innerDc) => IsOnStack(innerDc.Stack, innerDc.FindDialog, ConfirmChangeDialog.DialogId);

    private static bool IsOnStack(IEnumerable<DialogInstance> stack, Func<string, Dialog?> find, string dialogId) =>
        stack.Any(instance => instance.Id == dialogId
            || (find(instance.Id) is ComponentDialog component && instance.GetState<ComponentState>() is { } state
                && IsOnStack(state.Dialogs.DialogStack, id => component.FindDialog(id) ?? find(id), dialogId)));

    private static bool InSignIn(DialogContext innerDc) => innerDc.Stack.Any(instance => instance.Id == SignInDialog.DialogId);
}
