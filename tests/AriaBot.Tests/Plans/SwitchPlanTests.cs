using AriaBot.Audit;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

public sealed class SwitchPlanTests : IAsyncLifetime
{
    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;
    private const long Alice = 1000001;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private long AlicePlanNo() => _host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanNo;

    private int Writes() => _host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);

    [Fact]
    public async Task A_plan_switch_shows_the_preview_and_switches_once_after_confirm()
    {
        var asked = await _chat.SayAsync("switch my plan");
        Assert.Contains("You're on Standard", AssistantConversation.Texts(asked).Last(), StringComparison.Ordinal);

        var preview = await _chat.ClickAsync("Premium");
        var card = Assert.Single(preview.SelectMany(reply => reply.Attachments ?? []));
        Assert.Equal(ContentTypes.AdaptiveCard, card.ContentType);
        Assert.Equal(12, AlicePlanNo());
        Assert.Equal(0, Writes());

        var done = await _chat.ClickAsync("Confirm");
        Assert.Contains("You're now on Premium", string.Join("\n", AssistantConversation.Texts(done)), StringComparison.Ordinal);
        Assert.Equal(13, AlicePlanNo());
        Assert.Equal(1, Writes());
    }
}
