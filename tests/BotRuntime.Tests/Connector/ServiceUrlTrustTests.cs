using BotRuntime.Connector;
using BotRuntime.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Connector;

public sealed class ServiceUrlTrustTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private ServiceUrlTrust Trust(IStorage storage, params string[] allowList) =>
        new(storage, new StaticMonitor<BotConnectorOptions>(new BotConnectorOptions { TrustedServiceUrls = [.. allowList] }), _clock, NullLogger<ServiceUrlTrust>.Instance);

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer", "https://smba.trafficmanager.net/amer/")]
    [InlineData("https://SMBA.trafficmanager.net:443/amer/", "https://smba.trafficmanager.net/amer/")]
    [InlineData("https://webchat.botframework.com/?x=1#y", "https://webchat.botframework.com/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://smba.trafficmanager.net@evil.example/", null)]
    [InlineData("ftp://smba.trafficmanager.net/", null)]
    [InlineData("/relative", null)]
    [InlineData("", null)]
    public void Service_urls_are_normalised(string input, string? expected) =>
        Assert.Equal(expected, ServiceUrlTrust.Normalize(input));

    [Fact]
    public async Task Only_requests_under_the_recorded_serviceUrl_of_that_conversation_may_carry_the_token()
    {
        var trust = Trust(new MemoryStorage(_clock));
        await trust.RecordAsync("msteams", "19:abc@thread", "https://smba.trafficmanager.net/amer/", CancellationToken.None);

        Assert.True(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("https://smba.trafficmanager.net/amer/v3/conversations/19%3Aabc/activities/1"), CancellationToken.None));
        Assert.True(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("https://SMBA.trafficmanager.net/AMER/v3/conversations/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("https://smba.trafficmanager.net/amer-evil/v3/conversations/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("https://smba.trafficmanager.net/emea/v3/conversations/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("http://smba.trafficmanager.net/amer/v3/conversations/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("https://smba.trafficmanager.net.evil.example/amer/v3/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("msteams", "19:abc@thread", new Uri("https://smba.trafficmanager.net@evil.example/amer/v3/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("slack", "19:abc@thread", new Uri("https://smba.trafficmanager.net/amer/v3/conversations/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync("msteams", "another", new Uri("https://smba.trafficmanager.net/amer/v3/conversations/x"), CancellationToken.None));
        Assert.False(await trust.MayReceiveTokenAsync(null, null, new Uri("https://smba.trafficmanager.net/amer/v3/conversations/x"), CancellationToken.None));
    }

    [Fact]
    public async Task The_latest_authenticated_serviceUrl_wins()
    {
        var trust = Trust(new MemoryStorage(_clock));
        await trust.RecordAsync("msteams", "c", "https://smba.trafficmanager.net/amer/", CancellationToken.None);
        await trust.RecordAsync("msteams", "c", "https://smba.trafficmanager.net/emea/", CancellationToken.None);
        Assert.Equal("https://smba.trafficmanager.net/emea/", await trust.RecordedServiceUrlAsync("msteams", "c", CancellationToken.None));
        Assert.False(await trust.IsTrustedServiceUrlAsync("msteams", "c", new Uri("https://smba.trafficmanager.net/amer/"), CancellationToken.None));
    }

    [Fact]
    public async Task A_record_is_shared_through_storage_and_expires_after_the_trust_lifetime()
    {
        var storage = new MemoryStorage(_clock);
        await Trust(storage).RecordAsync("msteams", "c", "https://smba.trafficmanager.net/amer", CancellationToken.None);

        // Another instance on the same store (or this one after a restart).
        var other = Trust(storage);
        Assert.True(await other.IsTrustedServiceUrlAsync("msteams", "c", new Uri("https://smba.trafficmanager.net/amer/"), CancellationToken.None));

        _clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        Assert.False(await Trust(storage).IsTrustedServiceUrlAsync("msteams", "c", new Uri("https://smba.trafficmanager.net/amer/"), CancellationToken.None));
    }

    [Fact]
    public async Task Repeated_authenticated_activities_extend_the_record_without_writing_every_turn()
    {
        var storage = new CountingStorage(new MemoryStorage(_clock));
        var trust = Trust(storage);
        for (var i = 0; i < 10; i++)
        {
            await trust.RecordAsync("msteams", "c", "https://smba.trafficmanager.net/amer/", CancellationToken.None);
        }
        Assert.Equal(1, storage.Writes);
        _clock.Advance(TimeSpan.FromHours(1));
        await trust.RecordAsync("msteams", "c", "https://smba.trafficmanager.net/amer/", CancellationToken.None);
        Assert.Equal(2, storage.Writes);
    }

    [Fact]
    public async Task The_allow_list_matches_whole_origins_only()
    {
        var trust = Trust(new MemoryStorage(_clock), "https://smba.trafficmanager.net");
        Assert.True(trust.IsAllowListed(new Uri("https://smba.trafficmanager.net/amer/v3/conversations/x")));
        Assert.True(await trust.MayReceiveTokenAsync(null, null, new Uri("https://smba.trafficmanager.net/emea/v3/x"), CancellationToken.None));
        Assert.False(trust.IsAllowListed(new Uri("http://smba.trafficmanager.net/amer/")));
        Assert.False(trust.IsAllowListed(new Uri("https://smba.trafficmanager.net:8443/amer/")));
        Assert.False(trust.IsAllowListed(new Uri("https://smba.trafficmanager.net.evil.example/")));
        Assert.False(trust.IsAllowListed(new Uri("https://smba.trafficmanager.net@evil.example/")));
    }

    private sealed class CountingStorage(IStorage inner) : IStorage
    {
        public int Writes { get; private set; }

        public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.ReadAsync(keys, cancellationToken);

        public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
        {
            Writes++;
            return inner.WriteAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

        public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) => inner.ReadPrefixAsync(prefix, limit, cancellationToken);

        public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(cancellationToken);
    }
}

/// <summary>Options that never change, for unit tests without a host.</summary>
internal sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
