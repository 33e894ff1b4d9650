using System.Text.Json;
using BotRuntime.State;

namespace AriaBot.Notifications.Delivery;

/// <summary>A notice waiting for the customer's next signed-in web chat.</summary>
public sealed class HeldNotice
{
    public required string NoticeId { get; init; }

    public required NoticeKind Kind { get; init; }

    public required DateTimeOffset HeldAt { get; init; }
}

/// <summary>
/// Web chat notices, per account, at <c>notifications/held/{account}/{notice}</c>: a Direct Line conversation lasts as
/// long as its page, so a notice waits here and is shown (then removed) in the next chat the customer opens signed in
/// to that account. Create-only by notice id: a repeated job holds it once.
/// </summary>
public sealed class HeldNotices(IStorage storage, TimeProvider timeProvider)
{
    internal const string Prefix = "notifications/held/";

    public async Task HoldAsync(long accountNo, string noticeId, NoticeKind kind, TimeSpan heldFor, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await storage.TryCreateAsync(Key(accountNo, noticeId), new HeldNotice { NoticeId = noticeId, Kind = kind, HeldAt = now }, now + heldFor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HeldNotice>> ForAccountAsync(long accountNo, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync($"{Prefix}{accountNo}/", 50, cancellationToken).ConfigureAwait(false);
        return [.. items.Select(item => item.Value.Document.Deserialize<HeldNotice>(StateJson.Options)).OfType<HeldNotice>().OrderBy(n => n.HeldAt)];
    }

    public Task RemoveAsync(long accountNo, IEnumerable<string> noticeIds, CancellationToken cancellationToken) =>
        storage.DeleteAsync([.. noticeIds.Select(id => Key(accountNo, id))], cancellationToken);

    private static string Key(long accountNo, string noticeId) => $"{Prefix}{accountNo}/{noticeId}";
}
