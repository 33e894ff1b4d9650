using AriaBot.Language;

namespace AriaBot.Understanding;

/// <summary>Short labels for intents, used as button titles when the bot asks "did you mean…"; in <c>dialogs/Intents/</c>.</summary>
[WordKeys]
public static class IntentWords
{
    public static readonly WordKey SwitchPlan = new("intents.switchPlan");
    public static readonly WordKey AddPlan = new("intents.addPlan");
    public static readonly WordKey ChangeUnits = new("intents.changeUnits");
    public static readonly WordKey CancelPlan = new("intents.cancelPlan");
    public static readonly WordKey PlaceOrder = new("intents.placeOrder");
    public static readonly WordKey MakePayment = new("intents.makePayment");
    public static readonly WordKey UpdatePaymentMethod = new("intents.updatePaymentMethod");
    public static readonly WordKey UpdateContact = new("intents.updateContact");
    public static readonly WordKey ViewStatements = new("intents.viewStatements");
    public static readonly WordKey ViewTransactions = new("intents.viewTransactions");
    public static readonly WordKey ViewOrders = new("intents.viewOrders");
    public static readonly WordKey ViewAccount = new("intents.viewAccount");
    public static readonly WordKey ResetPassword = new("intents.resetPassword");
    public static readonly WordKey SignIn = new("intents.signIn");
    public static readonly WordKey SignOut = new("intents.signOut");
    public static readonly WordKey Help = new("intents.help");
    public static readonly WordKey Cancel = new("intents.cancel");
    public static readonly WordKey StartOver = new("intents.startOver");
    public static readonly WordKey TalkToAgent = new("intents.talkToAgent");
    public static readonly WordKey Greeting = new("intents.greeting");
    public static readonly WordKey Goodbye = new("intents.goodbye");

    /// <summary>The label key of an intent; throws for <see cref="Intent.None"/>, which is never offered.</summary>
    public static WordKey Label(Intent intent) => intent switch
    {
        Intent.SwitchPlan => SwitchPlan,
        Intent.AddPlan => AddPlan,
        Intent.ChangeUnits => ChangeUnits,
        Intent.CancelPlan => CancelPlan,
        Intent.PlaceOrder => PlaceOrder,
        Intent.MakePayment => MakePayment,
        Intent.UpdatePaymentMethod => UpdatePaymentMethod,
        Intent.UpdateContact => UpdateContact,
        Intent.ViewStatements => ViewStatements,
        Intent.ViewTransactions => ViewTransactions,
        Intent.ViewOrders => ViewOrders,
        Intent.ViewAccount => ViewAccount,
        Intent.ResetPassword => ResetPassword,
        Intent.SignIn => SignIn,
        Intent.SignOut => SignOut,
        Intent.Help => Help,
        Intent.Cancel => Cancel,
        Intent.StartOver => StartOver,
        Intent.TalkToAgent => TalkToAgent,
        Intent.Greeting => Greeting,
        Intent.Goodbye => Goodbye,
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "This intent has no label."),
    };
}
