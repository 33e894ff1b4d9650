using Aria.Client;
using AriaBot.Conversation;
using AriaBot.Language;

namespace AriaBot.Changes;

/// <summary>Aria's refusals of a change, in plain words (never Aria's own message, which is for operators).</summary>
public static class ChangeErrors
{
    public static string Describe(AriaError error, IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(words);
        if (error.IsUnavailable || error.Kind == AriaErrorKind.InvalidResponse)
        {
            return words.Format(ShellWords.AriaUnavailable, locale);
        }
        return error.KnownCode switch
        {
            AriaErrorCode.StatusBlocksChange or AriaErrorCode.StatusBlocksProvisioning => words.Format(ChangeWords.StatusBlocks, locale),
            AriaErrorCode.InvalidPlanInstanceNo or AriaErrorCode.InvalidClientPlanInstanceId => words.Format(ChangeWords.NotOnAccount, locale),
            AriaErrorCode.CollectionFailed or AriaErrorCode.CardAuthorizationFailed => words.Format(ChangeWords.PaymentDeclined, locale),
            AriaErrorCode.ZeroBalance or AriaErrorCode.BalanceBelowZero => words.Format(ChangeWords.NothingToPay, locale),
            AriaErrorCode.InvalidInput or AriaErrorCode.InvalidPlanStatus or AriaErrorCode.UnitsNotPositive => words.Format(ChangeWords.NotAllowed, locale),
            _ => words.Format(ChangeWords.Refused, locale, new { code = error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
    }
}
