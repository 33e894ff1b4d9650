using System.Globalization;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>
/// All the chat and the page ever show of a card: brand, last four digits, expiry ("Visa ending 4242, expires 08/29").
/// </summary>
public sealed record MaskedCard(string Brand, string Suffix, (int Month, int Year) Expires)
{
    /// <summary>The expiry as printed on cards: MM/YY.</summary>
    public string ExpiresText => string.Create(CultureInfo.InvariantCulture, $"{Expires.Month:00}/{Expires.Year % 100:00}");

    /// <summary>For the audit trail (not customer-facing, so not localized).</summary>
    public override string ToString() => $"{Brand} ending {Suffix}, expires {ExpiresText}";
}

/// <summary>The brand of a card number by its first digits, as far as the page needs it before Aria says.</summary>
internal static class CardBrand
{
    public static string Of(string number) => number.Length == 0 ? "Card" : number[0] switch
    {
        '4' => "Visa",
        '5' or '2' => "Mastercard",
        '3' => "American Express",
        '6' => "Discover",
        _ => "Card",
    };

    /// <summary>The Luhn check: catches most typing mistakes on the page, before Aria is asked.</summary>
    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }
}
