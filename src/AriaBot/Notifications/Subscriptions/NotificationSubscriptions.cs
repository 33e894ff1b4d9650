using System.Security.Cryptography;
using System.Text;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Notifications.Subscriptions;

/// <summary>
/// One place a customer asked to hear about an account: the conversation reference of the chat where they opted in
/// (never a group conversation), the ingress that authenticated them there, and how to time the notices.
/// </summary>
public sealed class Subscription
{
    public required string ChannelId { get; init; }

    public required string ConversationId { get; init; }

    public required string UserId { get; init; }

    public required TurnIngress Ingress { get; init; }

    /// <summary>Where a proactive message goes; its serviceUrl is checked again at send time (<c>ServiceUrlTrust</c>).</summary>
    public required ConversationReference Reference { get; init; }

    public string? Locale { get; init; }

    /// <summary>An IANA or Windows time-zone id for quiet hours; null = UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The customer named <see cref="TimeZone"/> themselves (asked once; absent in older records = a guess).</summary>
    public bool TimeZoneChosen { get; set; }

    public required DateTimeOffset OptedInAt { get; init; }

    /// <summary>A stable id for outbox payloads and markers (a hash: it says nothing about the chat).</summary>
    public string Id => IdOf(ChannelId, ConversationId, UserId);

    public static string IdOf(string channelId, string conversationId, string userId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{conversationId}\n{userId}")))[..32];
}

/// <summary>Everyone who hears about one account (usually one person on one or two channels).</summary>
public sealed class AccountSubscriptions
{
    public List<Subscription> Items { get; set; } = [];

    /// <summary>The customer also wants each notice by e-mail, to the address on file in Aria (never one typed in chat).</summary>
    public bool Email { get; set; }

    /// <summary>The language of those e-mails (the chat's when they asked).</summary>
    public string? EmailLocale { get; set; }
}

/// <summary>Points a chat (channel, conversation, user) at the account it subscribed to, so that "stop" works there without signing in.</summary>
public sealed class SubscriptionIndex
{
    public long AccountNo { get; set; }
}

/// <summary>
/// The subscription store: <c>notifications/subscriptions/{account}</c> holds the account's subscriptions (eTag-checked
/// read-modify-write), and <c>notifications/chats/{id}</c> points each subscribed chat back at its account. Opting in
/// needs the account a session check returned; opting out needs only the chat (anyone who receives notices may stop them),
/// or, signed in, ends every subscription of the account on every channel.
/// </summary>
public sealed class NotificationSubscriptions(IStorage storage, TimeProvider timeProvider)
{
    internal const string Prefix = "notifications/subscriptions/";
    internal const string IndexPrefix = "notifications/chats/";

    /// <summary>How long a subscription lives without being renewed (opting in again renews it).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(400);

    /// <summary>Adds or replaces the chat's subscription; false when it was already there (it is refreshed anyway).</summary>
    public async Task<bool> SubscribeAsync(long accountNo, Subscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var added = false;
        await UpdateAsync(accountNo, account =>
        {
            added = account.Items.RemoveAll(s => s.Id == subscription.Id) == 0;
            account.Items.Add(subscription);
        }, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(IndexPrefix + subscription.Id, new SubscriptionIndex { AccountNo = accountNo }, StoreWrite.AnyETag,
            timeProvider.GetUtcNow() + Lifetime, cancellationToken).ConfigureAwait(false);
        return added;
    }

    public async Task<IReadOnlyList<Subscription>> ForAccountAsync(long accountNo, CancellationToken cancellationToken) =>
        (await AccountAsync(accountNo, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Everything the account asked for (chats and e-mail); empty when nothing.</summary>
    public async Task<AccountSubscriptions> AccountAsync(long accountNo, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync<AccountSubscriptions>(Prefix + accountNo, cancellationToken).ConfigureAwait(false);
        return stored?.Value ?? new AccountSubscriptions();
    }

    /// <summary>Turns the e-mail copy on; false when it already was.</summary>
    public async Task<bool> SubscribeEmailAsync(long accountNo, string? locale, CancellationToken cancellationToken)
    {
        var added = false;
        await UpdateAsync(accountNo, account =>
        {
            added = !account.Email;
            account.Email = true;
            account.EmailLocale = locale;
        }, cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Ends every subscription of the account, on every channel and by e-mail; returns how many there were.</summary>
    public async Task<int> UnsubscribeAccountAsync(long accountNo, CancellationToken cancellationToken)
    {
        List<string> removed = [];
        var email = false;
        await UpdateAsync(accountNo, account =>
        {
            removed = [.. account.Items.Select(s => s.Id)];
            email = account.Email;
            account.Items.Clear();
            account.Email = false;
        }, cancellationToken).ConfigureAwait(false);
        if (removed.Count > 0)
        {
            await storage.DeleteAsync([.. removed.Select(id => IndexPrefix + id)], cancellationToken).ConfigureAwait(false);
        }
        return removed.Count + (email ? 1 : 0);
    }

    /// <summary>Ends this chat's subscription, whichever account it was for; false when the chat had none.</summary>
    public async Task<bool> UnsubscribeChatAsync(string channelId, string conversationId, string userId, CancellationToken cancellationToken)
    {
        var id = Subscription.IdOf(channelId, conversationId, userId);
        var index = await storage.ReadAsync<SubscriptionIndex>(IndexPrefix + id, cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            return false;
        }
        await RemoveAsync(index.Value.AccountNo, id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Sets the zone the customer named for one subscription; false when it is gone (opted out meanwhile).</summary>
    public async Task<bool> SetTimeZoneAsync(long accountNo, string subscriptionId, string zoneId, CancellationToken cancellationToken)
    {
        var found = false;
        await UpdateAsync(accountNo, account =>
        {
            foreach (var subscription in account.Items.Where(s => s.Id == subscriptionId))
            {
                subscription.TimeZone = zoneId;
                subscription.TimeZoneChosen = true;
                found = true;
            }
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>The account a chat's subscription belongs to, or null when the chat has none.</summary>
    public async Task<long?> AccountOfChatAsync(string subscriptionId, CancellationToken cancellationToken) =>
        (await storage.ReadAsync<SubscriptionIndex>(IndexPrefix + subscriptionId, cancellationToken).ConfigureAwait(false))?.Value.AccountNo;

    /// <summary>Removes one subscription (opted out, or the channel refused it for good).</summary>
    public async Task RemoveAsync(long accountNo, string subscriptionId, CancellationToken cancellationToken)
    {
        await UpdateAsync(accountNo, account => account.Items.RemoveAll(s => s.Id == subscriptionId), cancellationToken).ConfigureAwait(false);
        await storage.DeleteAsync(IndexPrefix + subscriptionId, cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(long accountNo, Action<AccountSubscriptions> change, CancellationToken cancellationToken)
    {
        var key = Prefix + accountNo;
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.ReadAsync<AccountSubscriptions>(key, cancellationToken).ConfigureAwait(false);
            var value = stored?.Value ?? new AccountSubscriptions();
            change(value);
            try
            {
                if (value.Items.Count == 0 && !value.Email)
                {
                    await storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await storage.WriteAsync(key, value, stored?.ETag, timeProvider.GetUtcNow() + Lifetime, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            catch (StorageConflictException) when (attempt < 5)
            {
                // Someone else changed the account's list (another channel opting in): read it again.
            }
        }
    }
}
