using AriaBot.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Catalog;

/// <summary>
/// Through the whole bot, with the product's catalog settings: the names are read as the host starts, and a customer's
/// message is answered while Aria still hangs on the background read that message started.
/// </summary>
public sealed class SlowCatalogTurnTests
{
    [Fact]
    public async Task Help_is_answered_while_the_catalog_read_it_started_still_hangs_on_Aria()
    {
        // Aria's timeouts far longer than the test: only the catalog's own design can keep the turn from waiting. The
        // product's catalog settings, which the test host otherwise changes.
        await using var host = new AssistantTestHost(new()
        {
            ["Aria:AttemptTimeout"] = "00:05:00",
            ["Aria:TotalTimeout"] = "00:10:00",
            ["Catalog:WarmUp"] = "true",
            ["Catalog:FirstReadTimeout"] = "00:00:02",
            ["Catalog:NamesRefreshAfter"] = "00:10:00",
        });
        var catalog = Assert.IsType<UnderstandingCatalog>(host.Services.GetRequiredService<IUnderstandingCatalog>());

        // Read as the host started, before any turn.
        await catalog.Reading.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal((1, 1), (host.Sandbox.Calls.Count("get_client_plans_basic_m"), host.Sandbox.Calls.Count("get_client_items_all_m")));
        Assert.NotEmpty(await catalog.ItemsAsync(CancellationToken.None));

        // The names are now old, and Aria will not answer the next plan read.
        host.Time.Advance(TimeSpan.FromMinutes(10));
        host.Sandbox.Faults.TimeoutNext("get_client_plans_basic_m");
        host.Sandbox.Calls.Clear();

        // A bound, not a timing: the turn either answers or hangs on Aria for minutes.
        var replies = await host.Conversation().SayAsync("help").WaitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEmpty(AssistantConversation.Texts(replies));
        // The turn is over, and the read it started has not: the turn did not wait on it.
        Assert.False(catalog.Reading.IsCompleted);
        Assert.Equal(0, host.Sandbox.Calls.Count("get_client_plans_basic_m"));
    }
}
