using AriaBot.Email;

namespace AriaBot.Account.EmailChange;

public static class EmailChangeServiceCollectionExtensions
{
    /// <summary>
    /// Section <c>AccountEmailChange</c>, the verified change of the account e-mail (its storage, the code e-mail job,
    /// the chat notice and the dialog <see cref="UpdateContactDialog"/> hands it to). Needs <c>AddEmail</c>,
    /// <c>AddSignIn</c> (the page's antiforgery, style and links' base URL) and <c>AddPasswordReset</c> (the reset rule
    /// after an e-mail change).
    /// </summary>
    public static IServiceCollection AddAccountEmailChange(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EmailChangeOptions>().BindConfiguration(EmailChangeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EmailChangeNotice>();
        services.AddSingleton<EmailChanges>();
        services.AddSingleton<AriaBot.Changes.IWriteCommittedObserver, EmailChangeDoneNotice>();
        services.AddSingleton<IOutboxJobHandler, EmailChangeCodeSender>();
        services.AddSingleton<AccountEmailChangeDialog>();
        return services;
    }

    /// <summary>The page the code is entered on (<c>/email-change</c>); it limits its posts per client address itself.</summary>
    public static WebApplication MapAccountEmailChange(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapEmailChangePage();
        return app;
    }
}
