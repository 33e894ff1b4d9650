using Microsoft.AspNetCore.Mvc.Testing;

namespace AriaBot.Tests.Web;

/// <summary>
/// One Development host (<see cref="WebHost.Create"/> with no settings) for a test class whose tests only read what it
/// answers, each with its own client: starting the host once per class instead of once per test. A test that needs
/// other settings, a sink or a host-wide count starts its own with <see cref="WebHost.Create"/>.
/// </summary>
public sealed class SharedWebHost : IAsyncLifetime
{
    public WebApplicationFactory<Program> Factory { get; } = WebHost.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
