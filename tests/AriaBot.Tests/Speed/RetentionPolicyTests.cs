using System.Net;
using System.Net.Http.Json;
using AriaBot.Audit;
using AriaBot.Changes;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What the store keeps and what goes (issue 22), on the real host: after ordinary use — turns over /api/messages
/// (delivery records with reply bodies, transcripts), a sign-in link, a session binding, conversation state — and a
/// long time without use, the purge leaves only what must never expire: audit entries, open and unknown write
/// records (with their markers), and user state. Settled and told write records go after their retention.
/// </summary>
public sealed class RetentionPolicyTests : IAsyncDisposable
{
    // The test stops the background loops itself (below); the host is not stopping then, so a loop that ends with an
    // OperationCanceledException counts as a fault, and the default behaviour (StopHost) ended the application under
    // the test now and then. Those endings are expected here, so they are ignored.
    private readonly AssistantTestHost _host = new(services: services =>
        services.Configure<HostOptions>(options => options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task PostAsync(string id, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = id,
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = "retention-convo" },
            From = new ChannelAccount { Id = "retention-user" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var response = await _host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private WriteIntent Intent(string id) => new()
    {
        Id = id,
        Kind = "replacePlan",
        AccountNo = 1000001,
        ConversationKey = "webchat/ledger-convo",
        CreatedAt = _host.Time.GetUtcNow(),
        Description = "switch from Standard to Premium",
    };

    private async Task<List<string>> KeysAsync() => [.. (await _host.Storage.ReadPrefixAsync("", 100_000)).Select(pair => pair.Key)];

    [Fact]
    public async Task After_a_long_idle_the_purge_leaves_only_audit_open_and_unknown_writes_and_user_state()
    {
        await PostAsync("a1", "hi");
        await PostAsync("a2", "help");
        var chat = _host.Conversation(conversationId: "signin-convo");
        await chat.SayAsync("hi");
        await chat.SayAsync("sign in");
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "bound-convo", "user1"));

        var ledger = _host.Services.GetRequiredService<IWriteLedger>();
        Assert.True(await ledger.RecordPendingAsync(Intent("w-pending")));
        Assert.True(await ledger.RecordPendingAsync(Intent("w-unknown")));
        Assert.True(await ledger.TryCompleteAsync("w-unknown", WriteIntentStatus.Unknown, "reconciled: Unknown", customerTold: true));
        Assert.True(await ledger.RecordPendingAsync(Intent("w-done")));
        Assert.True(await ledger.TryCompleteAsync("w-done", WriteIntentStatus.Committed, "ok", customerTold: true));
        await _host.Services.GetRequiredService<IAuditLog>().AppendAsync(new AuditEntry
        {
            Id = "w-done",
            At = _host.Time.GetUtcNow(),
            AccountNo = 1000001,
            Call = "replace_acct_plan_m",
            Outcome = AuditOutcome.Committed,
        });
        await _host.Storage.WriteAsync("webchat/users/retention-user", new { optIn = true }, StoreWrite.AnyETag);

        var before = await KeysAsync();
        Assert.Contains(before, key => key.StartsWith("webchat/conversations/", StringComparison.Ordinal));
        Assert.Contains(before, key => key.StartsWith("session-bindings/", StringComparison.Ordinal));
        Assert.Contains(before, key => key.StartsWith("signin/", StringComparison.Ordinal));

        // Not yet: a day later the settled write record is still there (a repeated "yes" must still find it).
        _host.Time.Advance(TimeSpan.FromDays(1));
        await _host.Storage.PurgeExpiredAsync();
        Assert.Contains("intents/w-done", await KeysAsync());

        // The background services are stopped first: the fake clock would otherwise fire every periodic timer once
        // per period of those 400 days (over a minute of test time), and the purge below is called directly anyway.
        // Only the background loops: stopping every hosted service would also stop the web host, which ends the
        // application and disposes the services this test still reads.
        foreach (var service in _host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }
        _host.Time.Advance(TimeSpan.FromDays(400));
        await _host.Storage.PurgeExpiredAsync();
        var after = await KeysAsync();

        Assert.Contains("intents/w-pending", after);
        Assert.Contains("intents-open/webchat/ledger-convo/w-pending", after);
        Assert.Contains("intents/w-unknown", after);
        Assert.DoesNotContain("intents/w-done", after);
        Assert.Contains(after, key => key.StartsWith("audit/", StringComparison.Ordinal));
        Assert.Contains("webchat/users/retention-user", after);
        // Also kept: the key ring, process leases (renewed while the process lives), and the one-off marker that a
        // Direct Line redaction migration ran (one row, which stops it running again).
        string[] kept = ["audit/", "intents/", "intents-open/", "webchat/users/", "dataprotection-keys/", "incarnations/", "dl/migrations/"];
        var leftovers = after.Where(key => !kept.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        Assert.True(leftovers.Count == 0, $"never expire: {string.Join(", ", leftovers)}");
    }
}
