using AriaBot.SelfService;
using AriaBot.Understanding;
using BotRuntime.Dialogs;

namespace AriaBot.Shell;

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
