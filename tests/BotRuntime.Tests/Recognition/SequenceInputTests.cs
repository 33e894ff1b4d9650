using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class SequenceInputTests
{
    [Theory]
    [InlineData("jane.doe@example.com", "en-US", "jane.doe@example.com")]
    [InlineData("mail me at Jane.Doe@Example.com please", "en-US", "Jane.Doe@Example.com")]
    [InlineData("mi correo es pepe@ejemplo.es", "es-ES", "pepe@ejemplo.es")]
    public void Email_is_found_in_the_answer(string text, string locale, string expected)
    {
        var result = EmailInput.Recognize(text, locale);
        Assert.True(result.Succeeded);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("jane at example dot com", "en-US")]
    [InlineData("no tengo", "es-ES")]
    [InlineData("@example.com", "en-US")]
    public void Email_fails_without_an_address(string text, string locale)
    {
        Assert.Equal(SequenceOutcome.NoMatch, EmailInput.Recognize(text, locale).Outcome);
    }

    [Fact]
    public void Two_addresses_are_ambiguous()
    {
        Assert.Equal(SequenceOutcome.Ambiguous, EmailInput.Recognize("a@example.com or b@example.com", "en-US").Outcome);
    }

    [Theory]
    [InlineData("555-123-4567", "en-US", "555-123-4567")]
    [InlineData("call me on +1 425 555 0100", "en-US", "+1 425 555 0100")]
    [InlineData("+34 612 345 678", "es-ES", "+34 612 345 678")]
    [InlineData("mi móvil es 612345678", "es-ES", "612345678")]
    public void Phone_is_found_in_the_answer(string text, string locale, string expected)
    {
        var result = PhoneInput.Recognize(text, locale);
        Assert.True(result.Succeeded);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("order 12345678", "en-US")]
    [InlineData("no phone", "en-US")]
    [InlineData("tres", "es-ES")]
    public void Phone_fails_without_a_number(string text, string locale)
    {
        Assert.False(PhoneInput.Recognize(text, locale).Succeeded);
    }
}
