using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Account;

/// <summary>"Why is my bill higher?" on the seeded account whose bill rose (erin: a Static IP added, Extra Storage 2 → 3).</summary>
public sealed class BillComparisonTests : IAsyncLifetime
{
    private readonly AssistantTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_last_two_bills_are_compared_line_by_line_with_the_amounts()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "erin", "erin-demo-1");
        var text = Said(await _host.Conversation().SayAsync("why is my bill higher?"));

        // 59 + 15 + 3 × 5 + 8 = 97 now; 59 + 15 + 2 × 5 = 84 before.
        Assert.Contains("is $97.00: $13.00 more than the one of", text, StringComparison.Ordinal);
        Assert.Contains("($84.00)", text, StringComparison.Ordinal);
        Assert.Contains("New: Static IP Address: +$8.00", text, StringComparison.Ordinal);
        Assert.Contains("Extra Storage (100 GB): 2 → 3 units: +$5.00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Premium", text, StringComparison.Ordinal); // unchanged lines are not listed
        Assert.Equal(2, _host.Sandbox.Calls.Count("get_invoice_details_m"));
    }

    [Fact]
    public async Task Order_invoices_are_listed_apart_not_compared()
    {
        // Frank ordered two Mesh Extenders 12 days ago: a bill outside the cycle.
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "frank", "frank-demo-1");
        var text = Said(await _host.Conversation().SayAsync("why did my bill go up"));
        Assert.Contains("the same as the one of", text, StringComparison.Ordinal);
        Assert.Contains("Nothing changed on the regular charges.", text, StringComparison.Ordinal);
        Assert.Contains("Billed separately (orders and one-time charges)", text, StringComparison.Ordinal);
        Assert.Contains("$158.00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Spanish_the_comparison_is_in_Spanish()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "erin", "erin-demo-1");
        var text = Said(await _host.Conversation(locale: "es-ES").SayAsync("¿por qué mi factura es más alta?"));
        Assert.Contains("Nuevo: Static IP Address", text, StringComparison.Ordinal);
        Assert.Contains("de 2 a 3 unidades", text, StringComparison.Ordinal);
    }

    private static string Said(IEnumerable<Activity> replies) => string.Join("\n", replies.Select(reply => reply.Speak ?? reply.Text ?? string.Empty));
}
