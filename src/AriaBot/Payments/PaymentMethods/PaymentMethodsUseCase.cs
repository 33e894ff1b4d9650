using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>Update payment information as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class PaymentMethodsUseCase
{
    /// <summary>Asked for by <see cref="Intent.UpdatePaymentMethod"/> (also where a declined payment sends the customer), switched off with <c>SelfService:Sections:PaymentMethods</c>.</summary>
    public static UseCase<PaymentMethodsDialog> Declaration { get; } = new(
        Intent.UpdatePaymentMethod,
        sections => sections.PaymentMethods,
        _ => null);
}
