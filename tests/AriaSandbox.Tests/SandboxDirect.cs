using System.Text.Json.Nodes;
using Aria.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sandbox = Aria.Sandbox.AriaSandbox;

namespace AriaSandbox.Tests;

/// <summary>The sandbox in-process with a fake clock, called with raw form posts as Aria's PHP SDK sends them.</summary>
internal sealed class SandboxDirect : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly HttpClient _http;

    public SandboxDirect(DateTimeOffset? start = null, IDictionary<string, string?>? settings = null)
    {
        Time = new FakeTimeProvider(start ?? SandboxWebHost.Start);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Time);
        services.AddAriaSandbox(configuration);
        _provider = services.BuildServiceProvider();
        _http = new HttpClient(_provider.GetRequiredService<AriaSandboxHttpHandler>());
    }

    public FakeTimeProvider Time { get; }

    public Sandbox Sandbox => _provider.GetRequiredService<Sandbox>();

    public async Task<JsonObject> CallAsync(string restCall, params (string Key, string Value)[] fields)
    {
        var response = await _http.PostAsync(new Uri("http://localhost/aria-sandbox/api/ws/api_ws_class_dispatcher.php"), SandboxWebHost.Form([("rest_call", restCall), .. fields]));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public static long Code(JsonObject reply) => reply["error_code"]!.GetValue<long>();

    public void Dispose()
    {
        _http.Dispose();
        _provider.Dispose();
    }
}
