using Aria.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sandbox = Aria.Sandbox.AriaSandbox;

namespace AriaClient.Tests.Infrastructure;

/// <summary>
/// The Aria client wired to the sandbox in-process, both on one <see cref="FakeTimeProvider"/>,
/// with every wire exchange recorded. Dispose to release it.
/// </summary>
public sealed class AriaTestHost : IDisposable
{
    public const long ClientNo = 7000100;
    public const string AuthKey = "sandbox-demo-auth-key-7000100";

    /// <summary>A Tuesday in a 30-day month: 2026-11-10, period 11-01..12-01 for bill day 1.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly WebApplication? _kestrel;

    /// <param name="overKestrel">Serve the sandbox from a real Kestrel server on a free port instead of in-process.</param>
    public AriaTestHost(AriaTransport transport = AriaTransport.Form, DateTimeOffset? start = null, Action<IServiceCollection>? configure = null,
        IDictionary<string, string?>? settings = null, Action<ILoggingBuilder>? logging = null, bool overKestrel = false)
    {
        Time = new FakeTimeProvider(start ?? DefaultStart);
        var baseUrl = "http://localhost/aria-sandbox";
        if (overKestrel)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aria:UseSandbox"] = "true", ["Aria:BaseUrl"] = "http://127.0.0.1/aria-sandbox" });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<TimeProvider>(Time);
            builder.Services.AddAriaSandbox(builder.Configuration);
            _kestrel = builder.Build();
            _kestrel.MapAriaSandbox();
            _kestrel.StartAsync().GetAwaiter().GetResult();
            var address = _kestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            baseUrl = address.TrimEnd('/') + "/aria-sandbox";
        }

        var values = new Dictionary<string, string?>
        {
            ["Aria:BaseUrl"] = baseUrl,
            ["Aria:ClientNo"] = ClientNo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Aria:AuthKey"] = AuthKey,
            ["Aria:Transport"] = transport.ToString(),
            ["Aria:RetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging ?? (b => { }));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddAriaSandbox(configuration);
        var client = services.AddAriaClient(configuration);
        if (!overKestrel)
        {
            client.UseAriaSandboxInProcess();
        }

        client.AddHttpMessageHandler(() => Recorder.CreateHandler());
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; }

    public WireRecorder Recorder { get; } = new();

    public IServiceProvider Services => _provider;

    public IAriaClient Aria => _provider.GetRequiredService<IAriaClient>();

    public Sandbox Sandbox => (_kestrel?.Services ?? _provider).GetRequiredService<Sandbox>();

    public void Dispose()
    {
        _provider.Dispose();
        if (_kestrel is not null)
        {
            _kestrel.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)_kestrel).Dispose();
        }
    }
}
