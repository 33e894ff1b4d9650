using AriaBot.SelfService;
using AriaBot.SignIn;
using AriaBot.Understanding;
using BotRuntime.Dialogs;
using Microsoft.Extensions.Options;

namespace AriaBot.Shell;

/// <summary>
/// "I forgot my password" (a whole-utterance example of <see cref="Intent.ResetPassword"/>, or the sign-in page's
/// button) while a sign-in waits for its page or its code: the sign-in is cancelled cleanly (its link burned, a session
/// the page opened ended, as on "cancel") and the reset flow begins instead of the sign-in's reminder. Anywhere else the
/// message is an ordinary answer for the dialog (a reset asked for from the menu is routed as before).
/// </summary>
internal static class ForgotPasswordInterruption
{
    public static async Task<DialogTurnResult> HandleAsync(InterruptionContext context, IOptionsMonitor<SelfServiceOptions> selfService, CancellationToken cancellationToken)
    {
        if (!selfService.CurrentValue.Sections.PasswordReset || !InSignIn(context.InnerDc.Stack, context.InnerDc.FindDialog))
        {
            return await context.InnerDc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        }
        // Starting over ends every dialog with CancelCalled: the sign-in abandons its link like on "cancel".
        return await context.StartOverAsync(new MainLoopOptions { Utterance = context.Context.Activity.Text ?? string.Empty, ChosenIntent = Intent.ResetPassword }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The sign-in is on the stack, or on the inner stack of a component on it (an account dialog signs in inside itself).</summary>
    private static bool InSignIn(IEnumerable<DialogInstance> stack, Func<string, Dialog?> find) =>
        stack.Any(instance => instance.Id == SignInDialog.DialogId
            || (find(instance.Id) is ComponentDialog component && instance.GetState<ComponentState>() is { } state
                && InSignIn(state.Dialogs.DialogStack, id => component.FindDialog(id) ?? find(id))));
}
