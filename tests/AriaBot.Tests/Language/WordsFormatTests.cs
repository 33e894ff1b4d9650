using AriaBot.Language;

namespace AriaBot.Tests.Language;

public sealed class WordsFormatTests
{
    [Theory]
    [InlineData(1234.5, "USD", "en-US", "$1,234.50")]
    [InlineData(50.5, "EUR", "es-ES", "50,50 €")]
    [InlineData(20, "EUR", "en-US", "€20.00")]
    [InlineData(20, "USD", "es-ES", "20,00 US$")]
    [InlineData(1500, "JPY", "en-US", "¥1,500")]
    public void Money_is_written_the_way_the_locale_writes_it(double amount, string currency, string locale, string expected)
    {
        Assert.Equal(expected, WordsFormat.Money((decimal)amount, currency, locale));
    }

    [Theory]
    [InlineData("en-US", "December 4, 2026")]
    [InlineData("es-ES", "4 de diciembre de 2026")]
    public void Dates_are_written_out(string locale, string expected)
    {
        Assert.Equal(expected, WordsFormat.Date(new DateOnly(2026, 12, 4), locale));
    }
}
