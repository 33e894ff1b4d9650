using System.Globalization;
using AriaBot.Language;
using AriaBot.Payments;

namespace AriaBot.Account;

/// <summary>A payment method on file as a customer reads it: "Visa ending 4242", "primary · expires 08/2027".</summary>
public static class PaymentMethodWords
{
    public static CardRow Row(PaymentMethodOnFile method, DateTimeOffset now, IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(words);
        var label = method.PayMethodType switch
        {
            1 => words.Format(AccountWords.Card, locale, new { brand = method.CardType ?? "Card", suffix = method.Suffix }),
            2 => words.Format(AccountWords.BankAccount, locale, new { suffix = method.Suffix }),
            _ => words.Format(AccountWords.OtherMethod, locale, new { suffix = method.Suffix }),
        };
        List<string> details = [];
        if (method.IsPrimary)
        {
            details.Add(words.Format(AccountWords.Primary, locale));
        }
        else if (method.IsBackup)
        {
            details.Add(words.Format(AccountWords.Backup, locale));
        }
        if (method.Expires is { } expires)
        {
            var date = string.Create(CultureInfo.InvariantCulture, $"{expires.Month:00}/{expires.Year}");
            details.Add(words.Format(method.IsExpired(now) ? AccountWords.Expired : AccountWords.Expires, locale, new { date }));
        }
        return new CardRow(label, details.Count == 0 ? null : string.Join(" · ", details));
    }
}
