using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class MoneyInputTests
{
    private static readonly MoneyOptions Usd = new("USD");
    private static readonly MoneyOptions Eur = new("EUR");

    [Theory]
    [InlineData("$50", "en-US", 50)]
    [InlineData("fifty dollars", "en-US", 50)]
    [InlineData("50.5", "en-US", 50.5)]
    [InlineData("pay $1,234.56 now please", "en-US", 1234.56)]
    [InlineData("50 USD", "en-US", 50)]
    [InlineData("US$20", "en-US", 20)]
    [InlineData("75 cents", "en-US", 0.75)]
    [InlineData("20 dólares", "es-ES", 20)]
    public void Recognizes_amounts_in_dollars(string text, string locale, double expected)
    {
        var result = MoneyInput.Recognize(text, locale, Usd);
        Assert.Equal(MoneyOutcome.Recognized, result.Outcome);
        Assert.Equal((decimal)expected, result.Amount);
        Assert.Equal("USD", result.Currency);
    }

    [Theory]
    [InlineData("50,50 €", "es-ES", 50.50)]
    [InlineData("50,50 euros", "es-ES", 50.50)]
    [InlineData("cincuenta euros", "es-ES", 50)]
    [InlineData("1.234,56 €", "es-ES", 1234.56)]
    [InlineData("12,3", "es-ES", 12.3)]
    [InlineData("€40", "en-US", 40)]
    [InlineData("50 euros con 20 céntimos", "es-ES", 50.2)]
    public void Recognizes_amounts_in_euros(string text, string locale, double expected)
    {
        var result = MoneyInput.Recognize(text, locale, Eur);
        Assert.Equal(MoneyOutcome.Recognized, result.Outcome);
        Assert.Equal((decimal)expected, result.Amount);
    }

    [Fact]
    public void A_bare_number_is_in_the_expected_currency()
    {
        var result = MoneyInput.Recognize("100", "en-US", Usd);
        Assert.True(result.Succeeded);
        Assert.Equal(100m, result.Amount);
        Assert.Null(result.StatedCurrency);
    }

    [Theory]
    [InlineData("50 euros", "en-US", "USD", "EUR")]
    [InlineData("€50", "en-US", "USD", "EUR")]
    [InlineData("10 pounds", "en-US", "USD", "GBP")]
    [InlineData("50 dólares", "es-ES", "EUR", "USD")]
    [InlineData("$50", "es-ES", "EUR", "USD")]
    public void A_stated_currency_other_than_the_expected_one_is_wrong_currency(string text, string locale, string expected, string stated)
    {
        var result = MoneyInput.Recognize(text, locale, new MoneyOptions(expected));
        Assert.Equal(MoneyOutcome.WrongCurrency, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal(stated, result.StatedCurrency);
    }

    [Fact]
    public void Dollar_sign_means_the_expected_dollar_currency()
    {
        var result = MoneyInput.Recognize("$30", "en-US", new MoneyOptions("CAD"));
        Assert.True(result.Succeeded);
        Assert.Equal("CAD", result.Currency);
    }

    [Theory]
    [InlineData("-$5", MoneyOutcome.Negative)]
    [InlineData("minus 20 dollars", MoneyOutcome.Negative)]
    [InlineData("-20", MoneyOutcome.Negative)]
    [InlineData("0", MoneyOutcome.Zero)]
    [InlineData("$0", MoneyOutcome.Zero)]
    [InlineData("$10.555", MoneyOutcome.TooManyDecimals)]
    [InlineData("$50 or $60", MoneyOutcome.Ambiguous)]
    [InlineData("50 or 60", MoneyOutcome.Ambiguous)]
    [InlineData("all of it", MoneyOutcome.NoMatch)]
    [InlineData("", MoneyOutcome.NoMatch)]
    public void Refuses_what_cannot_be_paid(string text, MoneyOutcome outcome)
    {
        var result = MoneyInput.Recognize(text, "en-US", Usd);
        Assert.Equal(outcome, result.Outcome);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Zero_and_negative_pass_when_allowed()
    {
        var options = Usd with { AllowZero = true, AllowNegative = true };
        Assert.Equal(0m, MoneyInput.Recognize("$0", "en-US", options).Amount);
        Assert.Equal(-5m, MoneyInput.Recognize("-$5", "en-US", options).Amount);
        Assert.True(MoneyInput.Recognize("-$5", "en-US", options).Succeeded);
    }

    [Fact]
    public void A_stated_amount_wins_over_other_numbers()
    {
        var result = MoneyInput.Recognize("pay $50 for the last 2 months", "en-US", Usd);
        Assert.True(result.Succeeded);
        Assert.Equal(50m, result.Amount);
        Assert.Equal("$50", result.MatchedText);
    }

    [Theory]
    [InlineData("pay $50 for the last 2 months", "en-US", "USD")]
    [InlineData("50 euros con 20 céntimos y 3 más", "es-ES", "EUR")]
    [InlineData("$10 $30 and 5", "en-US", "USD")]
    [InlineData("pay -$5 or minus 5 dollars", "en-US", "USD")]
    [InlineData("3 seats", "en-US", "USD")]
    [InlineData("", "en-US", "USD")]
    public void FindStated_is_FindAll_without_the_bare_numbers(string text, string locale, string currency)
    {
        // The understander asks only for stated amounts (issue 22: no second number pass); they must be FindAll's.
        var all = MoneyInput.FindAll(text, locale, currency).Where(m => m.CurrencyStated).ToList();
        Assert.Equal(all, MoneyInput.FindStated(text, locale, currency));
    }
}
