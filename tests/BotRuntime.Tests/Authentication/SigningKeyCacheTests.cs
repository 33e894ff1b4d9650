using BotRuntime.Authentication;
using BotRuntime.Tests.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Authentication;

public sealed class SigningKeyCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private StandInOpenIdIssuer _issuer = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _issuer = await StandInOpenIdIssuer.StartAsync();
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private SigningKeyCache Cache(string? metadataUrl = null) =>
        new(new Uri(metadataUrl ?? _issuer.ChannelMetadataUrl), _services.GetRequiredService<IHttpClientFactory>(), _clock,
            new StaticMonitor<BotAuthenticationOptions>(new BotAuthenticationOptions()), NullLogger.Instance);

    [Fact]
    public async Task Keys_are_read_with_their_endorsements_and_cached_until_the_refresh_interval()
    {
        var cache = Cache();
        var key = await cache.FindAsync("channel-key-1", CancellationToken.None);
        Assert.NotNull(key);
        Assert.Equal(["test", "msteams", "emulator"], SigningKeyCache.Endorsements(key));
        await cache.FindAsync("channel-key-1", CancellationToken.None);
        Assert.Equal(1, _issuer.ChannelFetches);

        _clock.Advance(TimeSpan.FromHours(23));
        await cache.FindAsync("channel-key-1", CancellationToken.None);
        Assert.Equal(1, _issuer.ChannelFetches);
        _clock.Advance(TimeSpan.FromHours(1));
        await cache.FindAsync("channel-key-1", CancellationToken.None);
        Assert.Equal(2, _issuer.ChannelFetches);
    }

    [Fact]
    public async Task Azure_AD_keys_have_no_endorsements()
    {
        var key = await Cache(_issuer.EmulatorMetadataUrl).FindAsync("aad-key-1", CancellationToken.None);
        Assert.Null(SigningKeyCache.Endorsements(key!));
    }

    [Fact]
    public async Task Unknown_kids_force_at_most_one_refresh_per_interval()
    {
        var cache = Cache();
        await cache.FindAsync("channel-key-1", CancellationToken.None);
        Assert.Null(await cache.FindAsync("nope-1", CancellationToken.None));
        Assert.Equal(2, _issuer.ChannelFetches);
        Assert.Null(await cache.FindAsync("nope-2", CancellationToken.None));
        Assert.Equal(2, _issuer.ChannelFetches);

        _issuer.Publish(_issuer.ChannelKeys, new StandInOpenIdIssuer.SigningKey("rolled", ["test"]));
        Assert.Null(await cache.FindAsync("rolled", CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(await cache.FindAsync("rolled", CancellationToken.None));
        Assert.Equal(3, _issuer.ChannelFetches);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_keys_fetched_earlier()
    {
        var cache = Cache();
        await cache.FindAsync("channel-key-1", CancellationToken.None);
        _issuer.Failing = true;
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.NotNull(await cache.FindAsync("channel-key-1", CancellationToken.None));
        Assert.Equal(2, _issuer.ChannelFetches);

        // During the outage the metadata is asked again only after the minimum interval, not on every request.
        Assert.NotNull(await cache.FindAsync("channel-key-1", CancellationToken.None));
        Assert.Equal(2, _issuer.ChannelFetches);
        _issuer.Failing = false;
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(await cache.FindAsync("channel-key-1", CancellationToken.None));
        Assert.Equal(3, _issuer.ChannelFetches);
    }

    [Fact]
    public async Task Without_any_keys_lookups_fail_clearly()
    {
        _issuer.Failing = true;
        await Assert.ThrowsAsync<SigningKeysUnavailableException>(() => Cache().FindAsync("channel-key-1", CancellationToken.None));
    }

    [Fact]
    public async Task Plain_http_metadata_is_refused_except_on_loopback()
    {
        var remote = Cache("http://login.botframework.example/v1/.well-known/openidconfiguration");
        var failure = await Assert.ThrowsAsync<SigningKeysUnavailableException>(() => remote.FindAsync("k", CancellationToken.None));
        Assert.Contains("HTTPS", failure.InnerException!.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
