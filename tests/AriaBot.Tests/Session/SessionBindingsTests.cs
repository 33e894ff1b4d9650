using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AriaBot.Tests.Session;

/// <summary>Recording a keep-alive in the binding store: under the binding's eTag, never over someone else's change.</summary>
public sealed class SessionBindingsTests
{
    private static readonly BindingKey Customer = new(Channels.Webchat, "conv-k", "user-k");

    [Fact]
    public async Task An_extension_is_recorded_on_the_binding_of_that_session_and_a_later_one_is_never_moved_back()
    {
        await using var host = new AssistantTestHost();
        var sessionId = await host.BindDirectlyAsync(Customer);
        var t0 = host.Time.GetUtcNow();

        Assert.True(await host.Bindings.RecordExtendedAsync(Customer, sessionId, t0 + TimeSpan.FromMinutes(12)));
        Assert.Equal(t0 + TimeSpan.FromMinutes(12), (await host.Bindings.GetAsync(Customer))!.ExtendedAt);

        // A slower turn that extended earlier reports late: the later time stays.
        Assert.True(await host.Bindings.RecordExtendedAsync(Customer, sessionId, t0 + TimeSpan.FromMinutes(11)));
        Assert.Equal(t0 + TimeSpan.FromMinutes(12), (await host.Bindings.GetAsync(Customer))!.ExtendedAt);
    }

    [Fact]
    public async Task A_removed_binding_is_not_brought_back_and_a_rebound_one_is_not_touched()
    {
        await using var host = new AssistantTestHost();
        var first = await host.BindDirectlyAsync(Customer);
        var later = host.Time.GetUtcNow() + TimeSpan.FromMinutes(12);

        await host.Bindings.RemoveAsync(Customer);
        Assert.False(await host.Bindings.RecordExtendedAsync(Customer, first, later));
        Assert.Null(await host.Bindings.GetAsync(Customer));

        var second = await host.BindDirectlyAsync(Customer);
        var before = (await host.Bindings.GetAsync(Customer))!;
        Assert.False(await host.Bindings.RecordExtendedAsync(Customer, first, later));
        var after = (await host.Bindings.GetAsync(Customer))!;
        Assert.Equal(second, after.AriaSessionId);
        Assert.Equal(before.ExtendedAt, after.ExtendedAt);
    }

    [Fact]
    public async Task A_change_made_between_the_read_and_the_write_is_detected_and_wins()
    {
        await using var host = new AssistantTestHost();
        var first = await host.BindDirectlyAsync(Customer);
        var second = await host.OpenAriaSessionAsync("bob", "bob-demo-1");
        var later = host.Time.GetUtcNow() + TimeSpan.FromMinutes(12);

        // Another instance re-binds the conversation just before this one writes its extension.
        var storage = new InterferingStorage(host.Storage, () => host.Storage.WriteAsync(StorageSessionBindings.ConversationKey(Customer), new SessionBinding
        {
            AriaSessionId = second,
            AccountNo = 1000002,
            AriaUserId = "bob",
            BoundAt = host.Time.GetUtcNow(),
            Ingress = Customer.Ingress,
        }, StoreWrite.AnyETag));
        var bindings = new StorageSessionBindings(storage, host.Services.GetRequiredService<IOptionsMonitor<SessionBindingOptions>>(), host.Time);

        Assert.False(await bindings.RecordExtendedAsync(Customer, first, later));
        Assert.Equal(1, storage.ConflictsSeen);
        var now = (await host.Bindings.GetAsync(Customer))!;
        Assert.Equal(second, now.AriaSessionId);
        Assert.Null(now.ExtendedAt);
    }

    [Fact]
    public async Task Another_turns_extension_written_in_between_is_read_again_and_kept()
    {
        await using var host = new AssistantTestHost();
        var sessionId = await host.BindDirectlyAsync(Customer);
        var t0 = host.Time.GetUtcNow();

        var storage = new InterferingStorage(host.Storage, () => host.Bindings.RecordExtendedAsync(Customer, sessionId, t0 + TimeSpan.FromMinutes(13)));
        var bindings = new StorageSessionBindings(storage, host.Services.GetRequiredService<IOptionsMonitor<SessionBindingOptions>>(), host.Time);

        Assert.True(await bindings.RecordExtendedAsync(Customer, sessionId, t0 + TimeSpan.FromMinutes(12)));
        Assert.Equal(1, storage.ConflictsSeen);
        Assert.Equal(t0 + TimeSpan.FromMinutes(13), (await host.Bindings.GetAsync(Customer))!.ExtendedAt);
    }

    /// <summary>Runs someone else's write right before the first write through it, as a second instance would.</summary>
    private sealed class InterferingStorage(IStorage inner, Func<Task> interfere) : IStorage
    {
        private bool _interfered;

        public int ConflictsSeen { get; private set; }

        public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(keys, cancellationToken);

        public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
        {
            if (!_interfered)
            {
                _interfered = true;
                await interfere();
            }
            try
            {
                return await inner.WriteAsync(changes, cancellationToken);
            }
            catch (StorageConflictException)
            {
                ConflictsSeen++;
                throw;
            }
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

        public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadPrefixAsync(prefix, limit, cancellationToken);

        public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(cancellationToken);
    }
}
