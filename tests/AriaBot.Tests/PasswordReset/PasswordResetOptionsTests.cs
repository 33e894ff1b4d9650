using System.ComponentModel.DataAnnotations;
using AriaBot.PasswordReset;

namespace AriaBot.Tests.PasswordReset;

public sealed class PasswordResetOptionsTests
{
    private static List<ValidationResult> Problems(PasswordResetOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void The_defaults_are_valid_and_nested_password_rules_are_checked_too()
    {
        Assert.Empty(Problems(new PasswordResetOptions()));
        Assert.Contains(Problems(new PasswordResetOptions { Password = new PasswordRules { MinLength = 4 } }), p => p.ErrorMessage!.StartsWith("PasswordReset:Password:", StringComparison.Ordinal));
        Assert.Contains(Problems(new PasswordResetOptions { Password = new PasswordRules { MinLength = 30, MaxLength = 20 } }), p => p.ErrorMessage!.Contains("MinLength", StringComparison.Ordinal));
        Assert.NotEmpty(Problems(new PasswordResetOptions { CodeLifetime = TimeSpan.FromMinutes(40), LinkLifetime = TimeSpan.FromMinutes(30) }));
        Assert.NotEmpty(Problems(new PasswordResetOptions { CodeAttempts = 0 }));
    }

    [Fact]
    public void The_rules_say_which_ones_a_password_breaks()
    {
        var rules = new PasswordRules { RequireMixedCase = true, RequireSymbol = true };
        Assert.Equal([PasswordRule.Length, PasswordRule.LettersAndDigits, PasswordRule.MixedCase, PasswordRule.Symbol], rules.Broken("abc"));
        Assert.Empty(rules.Broken("Long-enough-1"));
        Assert.Equal([PasswordRule.Length, PasswordRule.LettersAndDigits, PasswordRule.MixedCase, PasswordRule.Symbol], rules.InForce());
        Assert.Equal([PasswordRule.Length], new PasswordRules { RequireLettersAndDigits = false }.InForce());
    }
}
