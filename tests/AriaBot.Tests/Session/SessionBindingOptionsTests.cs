using AriaBot.Session;

namespace AriaBot.Tests.Session;

/// <summary>The binding lifetimes: keys in the <c>SignIn</c> section (as deployed), owned by the session layer.</summary>
public sealed class SessionBindingOptionsTests
{
    [Fact]
    public void The_binding_lifetimes_have_documented_defaults_and_are_checked()
    {
        var defaults = new SessionBindingOptions();
        Assert.Equal(TimeSpan.FromHours(12), defaults.BindingLifetime);
        Assert.Equal(TimeSpan.FromHours(24), defaults.AbsoluteBindingLifetime);
        Assert.Equal(TimeSpan.FromMinutes(30), defaults.PortalBindingLifetime);
        Assert.True(new SessionBindingOptionsValidator().Validate(null, defaults).Succeeded);

        var message = new SessionBindingOptionsValidator().Validate(null, new SessionBindingOptions
        {
            BindingLifetime = TimeSpan.FromHours(12),
            AbsoluteBindingLifetime = TimeSpan.FromHours(6),
        }).FailureMessage;
        Assert.Contains("SignIn:AbsoluteBindingLifetime must be at least SignIn:BindingLifetime", message, StringComparison.Ordinal);
    }
}
