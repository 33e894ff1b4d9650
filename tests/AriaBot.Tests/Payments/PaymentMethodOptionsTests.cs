using System.ComponentModel.DataAnnotations;
using AriaBot.Payments.PaymentMethods;

namespace AriaBot.Tests.Payments;

/// <summary>The <c>PaymentMethods</c> section: documented defaults, and portal origins that cannot break out of the CSP.</summary>
public sealed class PaymentMethodOptionsTests
{
    private static List<ValidationResult> Validate(PaymentMethodOptions options)
    {
        List<ValidationResult> results = [];
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void The_defaults_are_valid_and_as_documented()
    {
        var defaults = new PaymentMethodOptions();
        Assert.Empty(Validate(defaults));
        Assert.Equal(TimeSpan.FromMinutes(10), defaults.LinkLifetime);
        Assert.Equal(5, defaults.CardAttemptsPerAccountPerDay);
        Assert.Equal(10, defaults.CardAttemptsPerIpPerDay);
        Assert.Empty(defaults.PortalOrigins);
    }

    [Theory]
    [InlineData("https://portal.example.com; script-src *")]
    [InlineData("https://portal.example.com/path")]
    [InlineData("javascript:alert(1)")]
    [InlineData("*")]
    public void A_portal_origin_must_be_an_origin_only(string origin)
    {
        var results = Validate(new PaymentMethodOptions { PortalOrigins = [origin] });
        Assert.Contains(results, result => result.ErrorMessage!.StartsWith("PaymentMethods:PortalOrigins", StringComparison.Ordinal));
    }

    [Fact]
    public void Nonsense_lifetimes_and_limits_are_refused()
    {
        Assert.NotEmpty(Validate(new PaymentMethodOptions { LinkLifetime = TimeSpan.Zero }));
        Assert.NotEmpty(Validate(new PaymentMethodOptions { CardAttemptsPerAccountPerDay = 0 }));
        Assert.Empty(Validate(new PaymentMethodOptions { PortalOrigins = ["https://portal.example.com", "http://localhost:3000"] }));
    }
}
