using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>
/// The simulator's card processor: which test card numbers are accepted, and how a card is declined. Kept apart from the
/// payment calls that use it (collection, payment method updates) so the card rules read in one place.
/// </summary>
internal static partial class PaymentCalls
{
    internal static (long Code, string Message, string ProcCode, string ProcText)? Decline(CardBehaviour behaviour) => behaviour switch
    {
        CardBehaviour.DeclineDoNotHonor => (AriaCodes.CardAuthorizationFailed, "card authorization failed", "05", "Do Not Honor"),
        CardBehaviour.DeclineInsufficientFunds => (AriaCodes.CollectionFailed, "collection failed", "51", "Insufficient funds"),
        _ => null,
    };

    /// <summary>Card checks: Luhn and length (4009), expiry month/year not past (4008).</summary>
    internal sealed record Card(string Suffix, int Month, int Year, string Brand, CardBehaviour Behaviour)
    {
        public static Card Validate(CallContext ctx, string numberField, string monthField, string yearField)
        {
            var digits = new string((ctx.Input.Str(numberField) ?? string.Empty).Where(c => c is not ' ' and not '-').ToArray());
            if (digits.Length is < 13 or > 19 || !digits.All(char.IsAsciiDigit) || !Luhn(digits))
            {
                throw new AriaFault(AriaCodes.InvalidCardNumber, "invalid credit card number");
            }

            var month = ctx.Input.Long(monthField);
            var year = ctx.Input.Long(yearField);
            if (month is null or < 1 or > 12 || year is null || year < ctx.Today.Year || (year == ctx.Today.Year && month < ctx.Today.Month))
            {
                throw new AriaFault(AriaCodes.InvalidExpiry, "invalid or expired credit card expiration date");
            }

            var suffix = digits[^4..];
            var behaviour = suffix switch
            {
                "0002" => CardBehaviour.DeclineDoNotHonor,
                "9995" => CardBehaviour.DeclineInsufficientFunds,
                _ => CardBehaviour.Approve,
            };
            var brand = digits[0] switch { '4' => "Visa", '5' => "MasterCard", '3' => "American Express", '6' => "Discover", _ => "Card" };
            return new Card(suffix, (int)month, (int)year, brand, behaviour);
        }

        private static bool Luhn(string digits)
        {
            var sum = 0;
            var even = false;
            for (var i = digits.Length - 1; i >= 0; i--)
            {
                var d = digits[i] - '0';
                if (even)
                {
                    d *= 2;
                    if (d > 9)
                    {
                        d -= 9;
                    }
                }

                sum += d;
                even = !even;
            }

            return sum % 10 == 0;
        }
    }
}
