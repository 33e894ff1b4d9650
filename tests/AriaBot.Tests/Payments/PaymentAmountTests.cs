using AriaBot.Payments.MakePayment;

namespace AriaBot.Tests.Payments;

/// <summary>How an answer to "how much?" is read and which amounts are refused before Aria is called.</summary>
public sealed class PaymentAmountTests
{
    private static readonly PaymentLimits Dollars = new(Balance: 38m, Currency: "USD", MaxPayment: 100m, AllowPrepayment: false);
    private static readonly PaymentLimits Euros = new(Balance: 120m, Currency: "EUR", MaxPayment: 1000m, AllowPrepayment: false);

    [Theory]
    [InlineData("$20", "en-US", 20)]
    [InlineData("twenty dollars", "en-US", 20)]
    [InlineData("12.50", "en-US", 12.5)]
    [InlineData("pay $38", "en-US", 38)]
    public void Amounts_in_the_accounts_currency_are_taken(string text, string locale, decimal expected)
    {
        var verdict = PaymentAmount.Judge(text, locale, Dollars);
        Assert.True(verdict.Accepted, verdict.Refusal.ToString());
        Assert.Equal((expected, false), (verdict.Amount, verdict.FullBalance));
    }

    [Theory]
    [InlineData("50,00 €")]
    [InlineData("50 euros")]
    [InlineData("50,00")]
    public void A_Spanish_amount_in_euros_is_taken_for_a_euro_account(string text)
    {
        var verdict = PaymentAmount.Judge(text, "es-ES", Euros);
        Assert.True(verdict.Accepted, verdict.Refusal.ToString());
        Assert.Equal(50m, verdict.Amount);
    }

    [Theory]
    [InlineData("the full balance", "en-US")]
    [InlineData("pay it all", "en-US")]
    [InlineData("Full balance", "en-US")]
    [InlineData("el saldo completo", "es-ES")]
    [InlineData("todo", "es-ES")]
    public void The_full_balance_is_the_balance_due(string text, string locale)
    {
        var verdict = PaymentAmount.Judge(text, locale, Dollars);
        Assert.True(verdict.Accepted);
        Assert.Equal((38m, true), (verdict.Amount, verdict.FullBalance));
    }

    [Theory]
    [InlineData("0", AmountRefusal.Zero)]
    [InlineData("$0.00", AmountRefusal.Zero)]
    [InlineData("-$5", AmountRefusal.Negative)]
    [InlineData("$10.555", AmountRefusal.TooManyDecimals)]
    [InlineData("50 euros", AmountRefusal.OtherCurrency)]
    [InlineData("$150", AmountRefusal.OverMaximum)]
    [InlineData("$38.01", AmountRefusal.OverBalance)]
    [InlineData("whenever", AmountRefusal.NotUnderstood)]
    public void What_may_not_be_paid_is_refused_with_its_reason(string text, AmountRefusal expected) =>
        Assert.Equal(expected, PaymentAmount.Judge(text, "en-US", Dollars).Refusal);

    [Fact]
    public void More_than_the_balance_is_taken_when_prepayment_is_allowed_but_never_more_than_the_maximum()
    {
        var prepay = Dollars with { AllowPrepayment = true };
        Assert.True(PaymentAmount.Judge("$60", "en-US", prepay).Accepted);
        Assert.Equal(AmountRefusal.OverMaximum, PaymentAmount.Judge("$101", "en-US", prepay).Refusal);
    }

    [Fact]
    public void An_amount_the_understander_found_is_taken_in_the_accounts_currency_unless_another_was_written()
    {
        Assert.True(PaymentAmount.Judge(20m, "EUR", currencyStated: false, Dollars).Accepted);
        Assert.Equal(AmountRefusal.OtherCurrency, PaymentAmount.Judge(20m, "EUR", currencyStated: true, Dollars).Refusal);
        Assert.Equal(AmountRefusal.Zero, PaymentAmount.Judge(0m, null, currencyStated: false, Dollars).Refusal);
    }

    [Theory]
    [InlineData("pay my balance", false)]
    [InlineData("pagar mi saldo", false)]
    [InlineData("pay the full balance", true)]
    [InlineData("quiero pagar todo el saldo", true)]
    public void Only_an_explicit_whole_balance_phrase_means_the_full_balance(string text, bool expected) =>
        Assert.Equal(expected, PaymentAmount.MeansFullBalance(text));
}
