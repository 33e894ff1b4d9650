using AriaBot.Conversation;

namespace AriaBot.Payments.PaymentMethods;

public static class PaymentMethodsServiceCollectionExtensions
{
    /// <summary>
    /// Update payment information: the dialog (for <c>Intent.UpdatePaymentMethod</c>), the secure page's links and the
    /// notice into the chat. The page shares the sign-in page's antiforgery and request-line log filter, so call it
    /// after <c>AddSignIn</c>.
    /// </summary>
    public static IServiceCollection AddPaymentMethods(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PaymentMethodOptions>().BindConfiguration(PaymentMethodOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PaymentMethodNotice>();
        services.AddSingleton<PaymentMethodLinks>();
        services.AddUseCase(PaymentMethodsUseCase.Declaration);
        return services;
    }

    /// <summary>The secure payment-method page (<c>/payment-method</c>).</summary>
    public static WebApplication MapPaymentMethods(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPaymentMethodPage();
        return app;
    }
}
