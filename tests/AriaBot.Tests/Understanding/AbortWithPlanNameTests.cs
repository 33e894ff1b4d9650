using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Issue 23, step 3, turn by turn against the sandbox (erin: Premium with Priority Support, Extra Storage ×3, Static IP):
/// with no task running, an abort word followed by a plan's name is cancelling that plan; while a preview waits for
/// its answer, any abort — one naming a plan included — voids the preview and writes nothing (invariant 2).
/// </summary>
public sealed class AbortWithPlanNameTests : IAsyncLifetime
{
    private readonly AssistantTestHost _host = new();

    public async Task InitializeAsync() => await Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<AssistantConversation> ErinAsync(string conversationId, string locale = "en-US")
    {
        var chat = _host.Conversation(conversationId: conversationId, locale: locale);
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, conversationId, "user1"), "erin", "erin-demo-1");
        return chat;
    }

    private int PlanWrites() => _host.Sandbox.Calls.All.Count(call => call.DoWrite == true);

    private static string? CardOf(IEnumerable<Activity> replies) =>
        replies.SelectMany(reply => reply.Attachments ?? []).FirstOrDefault(card => card.ContentType == ContentTypes.AdaptiveCard)?.Content?.GetRawText();

    private static string Said(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    [Theory]
    [InlineData("en-US", "cancel priority support", "Cancel Priority Support")]
    [InlineData("en-US", "stop priority support", "Cancel Priority Support")]
    [InlineData("es-ES", "cancela priority support", "Cancelar Priority Support")]
    [InlineData("es-ES", "cancela el soporte prioritario", "Cancelar Priority Support")]
    [InlineData("es-ES", "quiero dar de baja la ip fija", "Cancelar Static IP Address")]
    public async Task With_no_task_running_an_abort_word_and_a_plan_name_previews_cancelling_that_plan(string locale, string message, string cardTitle)
    {
        var chat = await ErinAsync("convo-" + locale, locale);
        var replies = await chat.SayAsync(message);
        Assert.Contains(cardTitle, CardOf(replies), StringComparison.Ordinal);
        Assert.Equal(0, PlanWrites());
    }

    [Theory]
    [InlineData("en-US", "cancel premium", "I haven't changed anything")]
    [InlineData("en-US", "stop, cancel the static ip instead", "I haven't changed anything")]
    [InlineData("es-ES", "cancela premium", "no he cambiado nada")]
    public async Task While_a_preview_waits_any_abort_voids_it_and_writes_nothing(string locale, string abort, string declined)
    {
        var chat = await ErinAsync("convo-" + locale, locale);
        var preview = await chat.SayAsync(locale == "en-US" ? "cancel my priority support" : "cancela mi priority support");
        Assert.NotNull(CardOf(preview));

        var replies = await chat.SayAsync(abort);
        Assert.Contains(declined, Said(replies), StringComparison.Ordinal);
        Assert.Null(CardOf(replies));

        // The voided preview's Confirm no longer writes either.
        var late = await chat.ClickAsync(preview.SelectMany(reply => reply.SuggestedActions?.Actions ?? []).First(action => action.Value is { ValueKind: System.Text.Json.JsonValueKind.Object } value && value.GetProperty("action").GetString() == "confirmChange"));
        Assert.Equal(0, PlanWrites());
        Assert.All(_host.Sandbox.PlanInstances(1000005), instance => Assert.Equal(1, instance.StatusCd));
        Assert.NotEmpty(late);
    }
}
