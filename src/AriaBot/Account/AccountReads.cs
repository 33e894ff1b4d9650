using Aria.Client;
using AriaBot.Conversation;
using AriaBot.Language;

namespace AriaBot.Account;

/// <summary>What the customer is told when a read of their account fails (never Aria's own message, which is for operators).</summary>
public static class AccountReads
{
    public static string Describe(AriaError? error, IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(words);
        return error is { IsUnavailable: true } or { Kind: AriaErrorKind.InvalidResponse }
            ? words.Format(ShellWords.AriaUnavailable, locale)
            : words.Format(AccountWords.ReadFailed, locale);
    }
}
