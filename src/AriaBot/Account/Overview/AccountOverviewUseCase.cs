using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Account.Overview;

/// <summary>The account overview as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class AccountOverviewUseCase
{
    /// <summary>Asked for by <see cref="Intent.ViewAccount"/>, switched off with <c>SelfService:Sections:Account</c>; it takes nothing from free text.</summary>
    public static UseCase<AccountOverviewDialog> Declaration { get; } = new(Intent.ViewAccount, sections => sections.Account, _ => null);
}
