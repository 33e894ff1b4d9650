using BotRuntime.Privacy;

namespace BotRuntime.Tests.Privacy;

public sealed class SensitiveTextTests
{
    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("3782 822463 10005")]
    [InlineData("5555555555554444")]
    [InlineData("6011000990139424")]
    [InlineData("4222222222222")]
    public void Luhn_valid_card_numbers_are_removed(string card)
    {
        var result = SensitiveText.Redact($"my card is {card}, thanks");
        Assert.Equal("my card is [card number removed], thanks", result.Text);
        Assert.True(result.Contains(SensitiveKind.CardNumber));
        Assert.True(result.ShouldWarnUser);
    }

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("1234567890123")]
    public void Luhn_invalid_digit_runs_are_left_alone(string digits)
    {
        var result = SensitiveText.Redact($"ref {digits}");
        Assert.False(result.HasSensitiveData);
        Assert.Equal($"ref {digits}", result.Text);
    }

    [Theory]
    [InlineData("call me on +1 425 555 0100")]
    [InlineData("my phone is 555-123-4567")]
    [InlineData("mi móvil es +34 612 345 678")]
    [InlineData("where is order 10023456?")]
    [InlineData("order ORD-4111111111111111 has not arrived")]
    [InlineData("invoice INV4111111111111111")]
    [InlineData("I want 3 seats on Gold for $50")]
    [InlineData("pay 1,234.56 on 12/01/2026")]
    public void Phone_and_order_numbers_are_not_cards(string text)
    {
        Assert.Empty(SensitiveText.Detect(text));
    }

    [Fact]
    public void A_card_inside_a_longer_digit_run_is_still_found()
    {
        var result = SensitiveText.Redact("4111 1111 1111 1111 1227");
        Assert.True(result.Contains(SensitiveKind.CardNumber));
        Assert.DoesNotContain("4111", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_cards_in_one_run_are_both_found_and_long_digit_runs_are_not_cards()
    {
        var twoCards = SensitiveText.Detect("4111 1111 1111 1111 5555 5555 5555 4444");
        Assert.Equal(2, twoCards.Count);
        Assert.All(twoCards, f => Assert.Equal(SensitiveKind.CardNumber, f.Kind));

        Assert.Empty(SensitiveText.Detect(string.Join(' ', Enumerable.Repeat("1", 4_000))));
        Assert.Empty(SensitiveText.Detect(new string('7', 40)));
    }

    [Theory]
    [InlineData("my password is hunter2", "my password is [password removed]")]
    [InlineData("My Password Is Hunter2!", "My Password Is [password removed]")]
    [InlineData("pwd: s3cr3t", "pwd: [password removed]")]
    [InlineData("password=abc123 please", "password=[password removed] please")]
    [InlineData("the password for my account is \"open sesame\" ok", "the password for my account is [password removed] ok")]
    [InlineData("set my password to Tr0ub4dor", "set my password to [password removed]")]
    [InlineData("mi contraseña es Pepe1234", "mi contraseña es [password removed]")]
    [InlineData("Contraseña: hola_mundo", "Contraseña: [password removed]")]
    [InlineData("la clave es 9981 gracias", "la clave es [password removed] gracias")]
    [InlineData("cambia mi contraseña a Verano2026", "cambia mi contraseña a [password removed]")]
    public void Passwords_after_a_cue_are_removed(string text, string expected)
    {
        var result = SensitiveText.Redact(text);
        Assert.Equal(expected, result.Text);
        Assert.True(result.Contains(SensitiveKind.Password));
    }

    [Theory]
    [InlineData("I forgot my password")]
    [InlineData("my password is not working")]
    [InlineData("my password is wrong apparently")]
    [InlineData("reset password please")]
    [InlineData("olvidé mi contraseña")]
    [InlineData("mi contraseña es incorrecta")]
    [InlineData("hunter2")]
    public void Talking_about_a_password_is_not_a_password(string text)
    {
        Assert.Empty(SensitiveText.Detect(text));
    }

    [Theory]
    [InlineData("cvv 123", "cvv [security code removed]")]
    [InlineData("código de seguridad: 4567", "código de seguridad: [security code removed]")]
    public void Security_codes_are_removed(string text, string expected)
    {
        Assert.Equal(expected, SensitiveText.Redact(text).Text);
    }

    [Fact]
    public void Values_the_caller_marks_sensitive_are_removed_everywhere()
    {
        var result = SensitiveText.Redact("code 884211, I typed 884211 twice", ["884211"]);
        Assert.Equal("code [removed], I typed [removed] twice", result.Text);
        Assert.False(result.ShouldWarnUser);
    }

    [Fact]
    public void Markers_are_configurable_and_only_the_secret_is_replaced()
    {
        var markers = new RedactionMarkers { CardNumber = "****", Password = "***" };
        var result = SensitiveText.Redact("card 4111111111111111 and password: x1y2", markers: markers);
        Assert.Equal("card **** and password: ***", result.Text);
        Assert.Equal(2, result.Findings.Count);
    }

    [Theory]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    [InlineData("", false)]
    [InlineData("12a4", false)]
    public void Luhn_check(string digits, bool valid)
    {
        Assert.Equal(valid, SensitiveText.IsLuhnValid(digits));
    }

    [Fact]
    public void The_log_redactor_uses_the_same_rules()
    {
        var redactor = new ChatTextRedactor();
        Assert.Equal("card [card number removed]", redactor.Redact("card 4111111111111111"));
    }
}
