using Aria.Client;
using AriaBot.ScaleOut;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace AriaBot.Tests.ScaleOut;

/// <summary>
/// A second local instance may point Aria:BaseUrl at the sandbox another instance hosts over plain http (the
/// two-instance test does); anywhere else outside Development, plain http would carry Aria's auth_key in the clear.
/// </summary>
public sealed class AriaTransportGuardTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "AriaBot";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Theory]
    [InlineData("Production", "https://secure.ariasystems.net", true)]
    [InlineData("Production", "http://127.0.0.1:5088/aria-sandbox", true)]
    [InlineData("Production", "http://localhost:5088/aria-sandbox", true)]
    [InlineData("Production", "http://[::1]:5088/aria-sandbox", true)]
    [InlineData("Development", "http://devbox:5088/aria-sandbox", true)]
    [InlineData("Production", "http://secure.ariasystems.net", false)]
    [InlineData("Staging", "http://10.0.0.5/aria-sandbox", false)]
    public void Plain_http_to_Aria_is_allowed_only_to_this_machine_or_in_Development(string environment, string baseUrl, bool allowed)
    {
        var result = new AriaTransportGuard(new Environment(environment)).Validate(null, new AriaOptions { BaseUrl = new Uri(baseUrl) });
        Assert.Equal(allowed, result.Succeeded);
        if (!allowed)
        {
            Assert.Contains("https", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
