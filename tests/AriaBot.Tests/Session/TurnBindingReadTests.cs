using System.Net;
using System.Net.Http.Json;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Session;

/// <summary>
/// The turn's session binding is read from the store once per turn (issue 22): the customer-activity middleware, the
/// session check and the held-notice middleware each asked for it, one round trip each on PostgreSQL. Signing in
/// within the turn still sees the new binding (the turn's copy is dropped when it changes).
/// </summary>
public sealed class TurnBindingReadTests : IAsyncDisposable
{
    private readonly AssistantTestHost _host = new(services: services => services.AddCountingStorage());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private CountingStorage Storage => _host.Services.GetRequiredService<CountingStorage>();

    private int BindingReads() => Storage.Calls.Count(call => call.Kind == "read" && call.Keys.Any(key => key.StartsWith("session-bindings/c/", StringComparison.Ordinal)));

    [Theory]
    [InlineData("hi")]
    [InlineData("help")]
    public async Task An_unsigned_turn_reads_its_binding_once(string text)
    {
        Assert.NotEmpty(await ApiMessages.PostAsync(_host, "first", "hi"));
        Storage.Reset();

        Assert.NotEmpty(await ApiMessages.PostAsync(_host, "counted", text));

        Assert.Equal(1, BindingReads());
    }
}
