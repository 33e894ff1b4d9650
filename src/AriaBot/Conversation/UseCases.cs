using AriaBot.SelfService;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Conversation;

/// <summary>
/// One thing customers can do in chat (switch plan, place an order…): the intent that asks for it, the section
/// that can switch it off, its dialog, and how a free-text request pre-fills the dialog's questions.
/// </summary>
public interface IUseCase
{
    Intent Intent { get; }

    bool IsEnabled(SelfServiceSections sections);

    Dialog Dialog { get; }

    /// <summary>The dialog's options from what the customer already said ("switch me to Gold with 3 seats").</summary>
    object? OptionsFrom(UnderstandingResult understanding);
}

/// <summary>
/// A use case declared once, beside its dialog in the slice's folder (<c>SwitchPlanUseCase.Declaration</c>…), and
/// registered with <see cref="UseCaseServiceCollectionExtensions.AddUseCase"/>. The menu lists use cases in the order
/// they are registered.
/// </summary>
/// <param name="Intent">The intent that asks for it.</param>
/// <param name="Enabled">Whether the operator's sections leave it on.</param>
/// <param name="OptionsFrom">The dialog's options from what the customer already said.</param>
public sealed record UseCase<TDialog>(Intent Intent, Func<SelfServiceSections, bool> Enabled, Func<UnderstandingResult, object?> OptionsFrom)
    where TDialog : Dialog;

public static class UseCaseServiceCollectionExtensions
{
    /// <summary>The use case's dialog (a singleton, as the main dialog adds it once) and the use case the shell routes to.</summary>
    public static IServiceCollection AddUseCase<TDialog>(this IServiceCollection services, UseCase<TDialog> useCase)
        where TDialog : Dialog
    {
        ArgumentNullException.ThrowIfNull(useCase);
        services.AddSingleton<TDialog>();
        services.AddSingleton<IUseCase>(provider => new RegisteredUseCase<TDialog>(useCase, provider.GetRequiredService<TDialog>()));
        return services;
    }

    private sealed class RegisteredUseCase<TDialog>(UseCase<TDialog> declaration, TDialog dialog) : IUseCase
        where TDialog : Dialog
    {
        public Intent Intent => declaration.Intent;

        public Dialog Dialog => dialog;

        public bool IsEnabled(SelfServiceSections sections)
        {
            ArgumentNullException.ThrowIfNull(sections);
            return declaration.Enabled(sections);
        }

        public object? OptionsFrom(UnderstandingResult understanding)
        {
            ArgumentNullException.ThrowIfNull(understanding);
            return declaration.OptionsFrom(understanding);
        }
    }
}
