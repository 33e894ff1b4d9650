using Aria.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AriaClient.Tests;

public sealed class AriaOptionsTests
{
    private static AriaOptions Resolve(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddAriaClient(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AriaOptions>>().Value;
    }

    [Fact]
    public void Missing_base_url_client_number_or_key_fails_validation()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve([]));
        Assert.Contains(error.Failures, f => f.Contains(nameof(AriaOptions.BaseUrl), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(AriaOptions.ClientNo), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(AriaOptions.AuthKey), StringComparison.Ordinal));
    }

    [Fact]
    public void Attempt_timeout_must_be_shorter_than_total_timeout()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Aria:BaseUrl"] = "https://secure.ariasystems.net", ["Aria:ClientNo"] = "1", ["Aria:AuthKey"] = "k",
            ["Aria:AttemptTimeout"] = "00:00:30", ["Aria:TotalTimeout"] = "00:00:10",
        }));
        Assert.Contains(error.Failures, f => f.Contains("TotalTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Base_url_is_the_host_not_an_endpoint()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Aria:BaseUrl"] = "https://secure.ariasystems.net/api/ws/api_ws_class_dispatcher.php", ["Aria:ClientNo"] = "1", ["Aria:AuthKey"] = "k",
        }));
        Assert.Contains(error.Failures, f => f.Contains("Aria:Transport picks the endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void A_complete_configuration_binds_with_documented_defaults()
    {
        var options = Resolve(new() { ["Aria:BaseUrl"] = "https://secure.ariasystems.net", ["Aria:ClientNo"] = "42", ["Aria:AuthKey"] = "key" });
        Assert.Equal(AriaTransport.Form, options.Transport);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(2, options.MaxRetryAttempts);
    }

    [Fact]
    public void The_sandbox_configures_the_client_by_the_same_HttpClient_name() =>
        Assert.Equal(AriaClientDefaults.HttpClientName, AriaSandboxServiceCollectionExtensions.AriaHttpClientName);
}
