using BotRuntime.Recognition;

namespace AriaBot.Payments.MakePayment;

/// <summary>Why an amount is not taken; each has its own sentence, and none reaches Aria.</summary>
public enum AmountRefusal
{
    None,
    NotUnderstood,
    Zero,
    Negative,
    TooManyDecimals,
    OtherCurrency,
    OverMaximum,
    OverBalance,
}

/// <summary>What the customer asked to pay, judged against the account: the whole balance, an amount, or a refusal.</summary>
public sealed record AmountVerdict(AmountRefusal Refusal, decimal Amount, bool FullBalance, string? StatedCurrency = null)
{
    public bool Accepted => Refusal == AmountRefusal.None;
}

/// <summary>The account's side of the judgement: its balance and currency, and the operator's limits.</summary>
public sealed record PaymentLimits(decimal Balance, string Currency, decimal MaxPayment, bool AllowPrepayment);

/// <summary>
/// Reads an amount ("$50", "fifty dollars", "50,00 €", "the full balance") and refuses, before any Aria call, what may
/// not be paid in chat: zero or less, more decimals than the currency has, another currency, more than
/// <c>SelfService:MaxPayment</c>, or more than the balance unless <c>SelfService:AllowPrepayment</c> is on.
/// </summary>
public static class PaymentAmount
{
    // What "all of it" sounds like. Whole-word phrases, matched on folded text; "pay my balance" alone is not one of
    // them (it asks how much), so that nobody pays everything by a loose word.
    private static readonly string[] FullBalancePhrases =
    [
        "full balance", "whole balance", "entire balance", "full amount", "whole amount", "everything", "all of it", "pay it all", "pay all",
        "in full", "total balance",
        "saldo completo", "todo el saldo", "saldo total", "importe total", "el total", "todo", "pagar todo", "totalidad",
    ];

    /// <summary>True when the text asks for the whole balance.</summary>
    public static bool MeansFullBalance(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var folded = $" {Fold(text)} ";
        return FullBalancePhrases.Any(phrase => folded.Contains($" {phrase} ", StringComparison.Ordinal));
    }

    /// <summary>Judges a typed answer (or the free text that started the flow).</summary>
    public static AmountVerdict Judge(string? text, string? locale, PaymentLimits limits, string? fullBalanceButton = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (MeansFullBalance(text) || (fullBalanceButton is not null && string.Equals(text?.Trim(), fullBalanceButton, StringComparison.OrdinalIgnoreCase)))
        {
            return Check(limits.Balance, fullBalance: true, limits);
        }
        var money = MoneyInput.Recognize(text, locale, new MoneyOptions(limits.Currency) { AllowZero = true, AllowNegative = true });
        return money.Outcome switch
        {
            MoneyOutcome.Recognized => Check(money.Amount, fullBalance: false, limits),
            MoneyOutcome.WrongCurrency => new AmountVerdict(AmountRefusal.OtherCurrency, 0, false, money.StatedCurrency),
            MoneyOutcome.TooManyDecimals => new AmountVerdict(AmountRefusal.TooManyDecimals, money.Amount, false),
            _ => new AmountVerdict(AmountRefusal.NotUnderstood, 0, false),
        };
    }

    /// <summary>Judges an amount the understander already found ("pay $50"); an unstated currency is the account's.</summary>
    public static AmountVerdict Judge(decimal amount, string? currency, bool currencyStated, PaymentLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (currencyStated && !string.Equals(currency, limits.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return new AmountVerdict(AmountRefusal.OtherCurrency, 0, false, currency);
        }
        if (decimal.Round(amount, CurrencyFacts.MinorDigits(limits.Currency)) != amount)
        {
            return new AmountVerdict(AmountRefusal.TooManyDecimals, amount, false);
        }
        return Check(amount, fullBalance: false, limits);
    }

    private static AmountVerdict Check(decimal amount, bool fullBalance, PaymentLimits limits)
    {
        var refusal = amount switch
        {
            < 0 => AmountRefusal.Negative,
            0 => AmountRefusal.Zero,
            _ when amount > limits.MaxPayment => AmountRefusal.OverMaximum,
            _ when amount > limits.Balance && !limits.AllowPrepayment => AmountRefusal.OverBalance,
            _ => AmountRefusal.None,
        };
        return new AmountVerdict(refusal, amount, fullBalance);
    }

    private static string Fold(string text) =>
        string.Join(' ', new string([.. BotRuntime.Recognition.TextFolding.NormalizeFormD(text.ToLowerInvariant())
                .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
                .Select(c => char.IsLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
