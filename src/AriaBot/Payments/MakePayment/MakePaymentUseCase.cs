using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Payments.MakePayment;

/// <summary>The one-time payment as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class MakePaymentUseCase
{
    /// <summary>Asked for by <see cref="Intent.MakePayment"/>, switched off with <c>SelfService:Sections:Payments</c>.</summary>
    /// <remarks>
    /// Pre-filled from free text: "pay $50" (the understander's amount, with the currency if one was written) or "pay
    /// the full balance". The amount is judged against the account only once the dialog has read it.
    /// </remarks>
    public static UseCase<MakePaymentDialog> Declaration { get; } = new(
        Intent.MakePayment,
        sections => sections.Payments,
        understanding => PaymentAmount.MeansFullBalance(understanding.Text)
            ? new MakePaymentOptions { FullBalance = true }
            : new MakePaymentOptions
            {
                Amount = understanding.Entities.Amount?.Amount,
                StatedCurrency = understanding.Entities.Amount is { CurrencyStated: true } stated ? stated.Currency : null,
            });
}
