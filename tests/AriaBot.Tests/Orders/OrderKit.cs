using AriaBot.Audit;
using Aria.Sandbox.State;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Orders;

/// <summary>What the place-an-order tests share: the demo accounts and item, reaching the preview, and reading the outcome.</summary>
internal static class OrderKit
{
    public const long Alice = 1000001;
    public const long Carol = 1000003;
    public const string Router = "RTR-AX3000";

    /// <summary>"order 2 routers", nothing else: returns the turn with the preview card.</summary>
    internal static async Task<IReadOnlyList<Activity>> PreviewTwoRoutersAsync(AssistantConversation chat)
    {
        await chat.SayAsync("order 2 routers");
        var preview = await chat.ClickAsync("No");
        Assert.Contains(preview, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
        return preview;
    }

    internal static int Writes(AssistantTestHost host) => host.Sandbox.Calls.All.Count(call => call.RestCall == "create_order_m" && call.DoWrite == true);

    internal static Task<IReadOnlyList<AuditEntry>> AuditAsync(AssistantTestHost host, long accountNo) =>
        host.Services.GetRequiredService<IAuditLog>().ReadAsync(accountNo);

    internal static string Text(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    internal static List<string> Buttons(IEnumerable<Activity> replies) =>
        [.. replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.Select(action => action.Title ?? string.Empty)];

    internal static string CardText(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.SelectMany(reply => reply.Attachments ?? []).Where(a => a.ContentType == ContentTypes.AdaptiveCard).Select(a => a.Content?.GetRawText() ?? string.Empty))
        + "\n" + Text(replies);

    /// <summary>The preview id the Confirm button carries.</summary>
    internal static string PreviewIdOf(IEnumerable<Activity> replies)
    {
        var confirm = replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.First(action => action.Title == "Confirm");
        return confirm.Value!.Value.GetProperty("previewId").GetString()!;
    }

    internal static void SetPrice(AssistantTestHost host, string sku, decimal price) => host.Sandbox.Write(state =>
    {
        var index = state.Items.FindIndex(item => item.ClientSku == sku);
        var old = state.Items[index];
        state.Items[index] = new InventoryItem { ItemNo = old.ItemNo, ClientSku = old.ClientSku, Label = old.Label, Description = old.Description, Price = price, Active = old.Active, StockLevel = old.StockLevel };
    });
}
