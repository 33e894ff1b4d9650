using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Session;

/// <summary>
/// Every turn of a signed-in customer is activity: it extends the Aria session when a keep-alive is due (before any
/// validation, so never between a validation and a write) and renews the binding's sliding expiry
/// (<c>SignIn:BindingLifetime</c> after the last activity), up to <c>SignIn:AbsoluteBindingLifetime</c> after binding.
/// </summary>
public sealed class BindingActivityTests
{
    private static readonly BindingKey Customer = new(Channels.Webchat, "convo1", "user1");

    [Fact]
    public async Task A_help_turn_in_the_middle_of_a_task_extends_a_session_that_is_due()
    {
        await using var host = new AssistantTestHost();
        var chat = host.Conversation();
        await host.BindDirectlyAsync(Customer);
        await chat.SayAsync("switch my plan");
        host.Time.Advance(TimeSpan.FromMinutes(11));
        host.Sandbox.Calls.Clear();

        // "help" inside the task answers without touching the account: no session check, yet the customer is active.
        var help = await chat.SayAsync("help");
        Assert.DoesNotContain("sign in", string.Join("\n", AssistantConversation.Texts(help)), StringComparison.OrdinalIgnoreCase);

        Assert.Equal(1, host.Sandbox.Calls.Count("keep_alive_m"));
        Assert.Equal(0, host.Sandbox.Calls.Count("validate_session_m"));
        Assert.Equal(host.Time.GetUtcNow(), (await host.Bindings.GetAsync(Customer))!.ExtendedAt);
    }

    [Fact]
    public async Task An_active_customer_is_not_cut_at_the_binding_lifetime_but_is_at_the_absolute_maximum()
    {
        await using var host = new AssistantTestHost();
        var chat = host.Conversation();
        var boundAt = host.Time.GetUtcNow();
        var sessionId = await host.BindDirectlyAsync(Customer);

        // A turn every 20 minutes for 13 hours: past the 12-hour BindingLifetime (from the binding).
        while (host.Time.GetUtcNow() - boundAt < TimeSpan.FromHours(13))
        {
            host.Time.Advance(TimeSpan.FromMinutes(20));
            await chat.SayAsync("help");
        }
        Assert.NotNull(await host.Bindings.GetAsync(Customer));
        Assert.True(host.IsSessionLive(sessionId));
        var account = await chat.SayAsync("switch my plan");
        Assert.DoesNotContain("sign in", string.Join("\n", AssistantConversation.Texts(account)), StringComparison.OrdinalIgnoreCase);
        await chat.SayAsync("cancel");

        // Still active, but the absolute maximum (24 hours after binding) ends the binding.
        while (host.Time.GetUtcNow() - boundAt < TimeSpan.FromHours(23) + TimeSpan.FromMinutes(40))
        {
            host.Time.Advance(TimeSpan.FromMinutes(20));
            await chat.SayAsync("help");
        }
        Assert.NotNull(await host.Bindings.GetAsync(Customer));
        host.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Null(await host.Bindings.GetAsync(Customer));
    }
}
