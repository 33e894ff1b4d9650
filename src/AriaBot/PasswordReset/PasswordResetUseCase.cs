using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.PasswordReset;

/// <summary>Password reset as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class PasswordResetUseCase
{
    /// <summary>Asked for by <see cref="Intent.ResetPassword"/>, switched off with <c>SelfService:Sections:PasswordReset</c>.</summary>
    public static UseCase<PasswordResetDialog> Declaration { get; } = new(
        Intent.ResetPassword,
        sections => sections.PasswordReset,
        _ => null);
}
