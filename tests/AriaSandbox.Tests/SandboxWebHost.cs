using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AriaSandbox.Tests;

/// <summary>A test host that mounts the sandbox the way the bot host does.</summary>
internal static class SandboxWebHost
{
    public const string AuthKey = "sandbox-demo-auth-key-7000100";

    public static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    public static WebApplication Build(string environment, bool useSandbox, string baseUrl = "http://localhost:3978/aria-sandbox", FakeTimeProvider? time = null, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aria:UseSandbox"] = useSandbox ? "true" : "false",
            ["Aria:BaseUrl"] = baseUrl,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(Start));
        builder.Services.AddAriaSandbox(builder.Configuration);
        var app = builder.Build();
        app.MapAriaSandbox();
        app.MapFallback(() => "a page the host serves for every other path");
        return app;
    }

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new([new("client_no", "7000100"), new("auth_key", AuthKey), new("output_format", "json"), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);
}
