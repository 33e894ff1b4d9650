using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AriaBot.Tests.Web;

/// <summary>Invariant 4: the demo picker exists only in Development with the sandbox, and is refused next to a real Aria.</summary>
public sealed class DemoPortalTests
{
    [Fact]
    public async Task In_production_the_picker_and_the_demo_sign_in_are_404_and_the_page_says_so()
    {
        await using var factory = WebHost.Create("Production");
        using var client = factory.PageClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/portal/demo-accounts", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(new Uri("/portal/demo-sign-in", UriKind.Relative), new { userId = "alice" })).StatusCode);
        using var me = JsonDocument.Parse(await client.GetStringAsync(new Uri("/portal/me", UriKind.Relative)));
        Assert.False(me.RootElement.GetProperty("demoPortal").GetBoolean());
        // The page itself and signed-out chat tokens still work.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri("/portal/chat-token", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task In_development_it_can_be_switched_off()
    {
        await using var factory = WebHost.Create(settings: new Dictionary<string, string?> { ["Web:DemoPortal"] = "false" });
        using var client = factory.PageClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/portal/demo-accounts", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void Asking_for_it_in_production_stops_start_up()
    {
        using var factory = WebHost.Create("Production", new Dictionary<string, string?> { ["Web:DemoPortal"] = "true" });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Web:DemoPortal=true is refused", WebHost.Flatten(failure), StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_it_next_to_a_real_Aria_stops_start_up_even_in_development()
    {
        using var factory = WebHost.Create(settings: new Dictionary<string, string?>
        {
            ["Aria:UseSandbox"] = "false",
            ["Aria:BaseUrl"] = "https://secure.ariasystems.net",
            ["Web:DemoPortal"] = "true",
        });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("never next to a real Aria", WebHost.Flatten(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_to_a_real_Aria_in_development_it_is_simply_off()
    {
        await using var factory = WebHost.Create(settings: new Dictionary<string, string?>
        {
            ["Aria:UseSandbox"] = "false",
            ["Aria:BaseUrl"] = "https://aria.invalid",
        });
        using var client = factory.PageClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/portal/demo-accounts", UriKind.Relative))).StatusCode);
    }
}
