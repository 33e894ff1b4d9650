using System.Net;
using Aria.Client;
using AriaClient.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sandbox = Aria.Sandbox.AriaSandbox;

namespace AriaClient.Tests.Health;

/// <summary>
/// A host wired the way the bot host is (AddAriaClient + AddAriaSandbox in Development with
/// Aria:UseSandbox=true, /healthz/ready): the client reaches the sandbox in-process without any
/// extra wiring, and readiness tells 1003 and 1004 apart.
/// </summary>
public sealed class AriaReadinessCheckTests
{
    private static async Task<WebApplication> StartAsync(string authKey = AriaTestHost.AuthKey)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aria:UseSandbox"] = "true",
            ["Aria:BaseUrl"] = "http://localhost:3978/aria-sandbox",
            ["Aria:ClientNo"] = AriaTestHost.ClientNo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Aria:AuthKey"] = authKey,
        });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(AriaTestHost.DefaultStart));
        builder.Services.AddAriaSandbox(builder.Configuration);
        builder.Services.AddAriaClient(builder.Configuration);
        builder.Services.AddHealthChecks().AddAriaReadinessCheck();
        var app = builder.Build();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapAriaSandbox();
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, HealthReportEntry Entry)> ProbeAsync(WebApplication app)
    {
        using var http = app.GetTestClient();
        var response = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"));
        return (response.StatusCode, report.Entries["aria"]);
    }

    [Fact]
    public async Task Ready_when_Aria_accepts_the_credentials_and_the_client_reaches_the_sandbox_in_process()
    {
        await using var app = await StartAsync();
        var (status, entry) = await ProbeAsync(app);
        Assert.True(status == HttpStatusCode.OK, entry.Description);
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        var details = await app.Services.GetRequiredService<IAriaClient>().GetAcctDetailsAllAsync(new() { AcctNo = Demo.Alice });
        Assert.True(details.IsSuccess);
    }

    [Fact]
    public async Task Not_ready_with_1004_when_the_auth_key_is_wrong()
    {
        await using var app = await StartAsync(authKey: "not-the-key");
        var (status, entry) = await ProbeAsync(app);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(1004L, entry.Data["aria_error_code"]);
        Assert.Contains("client number or auth key", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_with_1003_when_this_hosts_IP_is_not_allow_listed()
    {
        await using var app = await StartAsync();
        app.Services.GetRequiredService<Sandbox>().SetAllowedIpAddresses("203.0.113.7");
        var (status, entry) = await ProbeAsync(app);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(1003L, entry.Data["aria_error_code"]);
        Assert.Contains("allow-list", entry.Description, StringComparison.Ordinal);
    }
}
