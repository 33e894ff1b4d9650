using System.Runtime.CompilerServices;
using AriaBot.SignIn;
using BotRuntime.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace AriaBot.Tests.SignIn;

public sealed class SignInOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_in_Development()
    {
        var result = Validator("Development").Validate(null, new SignInOptions());
        Assert.True(result.Succeeded, result.FailureMessage);
        var defaults = new SignInOptions();
        Assert.Equal(TimeSpan.FromMinutes(10), defaults.LinkLifetime);
        Assert.Equal(TimeSpan.FromMinutes(5), defaults.CodeLifetime);
        Assert.Equal(3, defaults.CodeAttempts);
    }

    [Fact]
    public void Outside_Development_links_need_a_public_https_base_url()
    {
        Assert.Contains("SignIn:PublicBaseUrl is required", Validator("Production").Validate(null, new SignInOptions()).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("must use https", Validator("Production").Validate(null, new SignInOptions { PublicBaseUrl = new Uri("http://bot.example.com") }).FailureMessage, StringComparison.Ordinal);
        Assert.True(Validator("Production").Validate(null, new SignInOptions { PublicBaseUrl = new Uri("https://bot.example.com") }).Succeeded);
        Assert.False(Validator("Development").Validate(null, new SignInOptions { PublicBaseUrl = new Uri("https://bot.example.com/?x=1") }).Succeeded);
    }

    [Fact]
    public void Nonsense_values_are_refused_each_by_name()
    {
        var options = new SignInOptions
        {
            LinkLifetime = TimeSpan.Zero,
            CodeLifetime = TimeSpan.FromHours(2),
            CodeAttempts = 0,
            RateLimits = new SignInRateLimits { PostsPerIp = 0, FailedSignInsWindow = TimeSpan.FromSeconds(-1) },
        };
        var message = Validator("Development").Validate(null, options).FailureMessage;
        foreach (var name in new[] { "LinkLifetime", "CodeLifetime", "CodeAttempts", "RateLimits:PostsPerIp", "RateLimits:FailedSignInsWindow" })
        {
            Assert.Contains("SignIn:" + name, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_page_timing_settings_have_documented_defaults_and_are_checked()
    {
        // The binding lifetimes in the same section are the session layer's: Session/SessionBindingOptionsTests.
        var defaults = new SignInOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(400), defaults.MinimumResponseTime);
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.AbandonedSignInSweepInterval);
        Assert.True(Validator("Development").Validate(null, new SignInOptions { MinimumResponseTime = TimeSpan.Zero }).Succeeded);

        var message = Validator("Development").Validate(null, new SignInOptions
        {
            MinimumResponseTime = TimeSpan.FromMinutes(1),
            AbandonedSignInSweepInterval = TimeSpan.Zero,
        }).FailureMessage;
        Assert.Contains("SignIn:MinimumResponseTime", message, StringComparison.Ordinal);
        Assert.Contains("SignIn:AbandonedSignInSweepInterval", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_a_bad_value()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("State:Provider", "Memory");
            builder.UseSetting("SignIn:CodeAttempts", "0");
        });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("SignIn:CodeAttempts", failure.ToString(), StringComparison.Ordinal);
    }

    private static SignInOptionsValidator Validator(string environment) => new(new Environment(environment));

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "AriaBot";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
