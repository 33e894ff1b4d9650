using AriaBot.Conversation;
using AriaBot.Email;

namespace AriaBot.PasswordReset;

public static class PasswordResetServiceCollectionExtensions
{
    /// <summary>
    /// Section <c>PasswordReset</c>, the reset's storage and steps, its outbox jobs (the code e-mail, the changed notice),
    /// the ender of an account's sessions and the use case for <c>Intent.ResetPassword</c>. Needs <c>AddEmail</c> and
    /// <c>AddSignIn</c> (the page uses sign-in's antiforgery settings and stylesheet, the chat begins sign-in afterwards).
    /// </summary>
    public static IServiceCollection AddPasswordReset(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PasswordResetOptions>().BindConfiguration(PasswordResetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountSessionsEnder>();
        services.AddSingleton<PasswordResets>();
        services.AddSingleton<IOutboxJobHandler, ResetCodeSender>();
        services.AddSingleton<IOutboxJobHandler, PasswordChangedNotice>();
        services.AddUseCase(PasswordResetUseCase.Declaration);
        return services;
    }

    /// <summary>The reset page (<c>/password-reset</c>); it limits its posts per client address itself.</summary>
    public static WebApplication MapPasswordReset(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapResetPage();
        return app;
    }
}
