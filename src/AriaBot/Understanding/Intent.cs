namespace AriaBot.Understanding;

/// <summary>
/// What a free-text message asks for. Dialogs route on these names, and <c>dialogs/Intents/Intents.&lt;locale&gt;.lu</c>
/// uses them as headings; renaming one is a breaking change to both.
/// </summary>
public enum Intent
{
    /// <summary>Nothing the bot can do was recognised with any confidence.</summary>
    None = 0,

    SwitchPlan,
    AddPlan,
    ChangeUnits,
    CancelPlan,
    PlaceOrder,
    MakePayment,
    UpdatePaymentMethod,
    UpdateContact,
    ViewStatements,
    ViewTransactions,
    ViewOrders,

    /// <summary>My plans, my balance, account summary.</summary>
    ViewAccount,
    ResetPassword,
    SignIn,
    SignOut,
    Help,

    /// <summary>Abort what we are doing ("cancel", "never mind", "stop") — not <see cref="CancelPlan"/>.</summary>
    Cancel,
    StartOver,
    TalkToAgent,
    Greeting,

    /// <summary>Leaving, including thanks.</summary>
    Goodbye,
}

public static class Intents
{
    /// <summary>Every intent the classifier learns (all but <see cref="Intent.None"/>).</summary>
    public static IReadOnlyList<Intent> Trainable { get; } = Enum.GetValues<Intent>().Where(i => i != Intent.None).ToArray();
}
