using BotRuntime.Authentication;
using BotRuntime.Connector;
using BotRuntime.Hosting;
using BotRuntime.Tests.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Authentication;

public sealed class BotTokenProviderTests
{
    private const string AppId = StandInOpenIdIssuer.AppId;
    private const string Tenant = "3c1a2b4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d";

    private sealed class CountingSource(TimeSpan lifetime) : IBotTokenSource
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<BotAccessToken> AcquireAsync(CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _count);
            await Release.Task;
            return new BotAccessToken($"token-{n}", lifetime);
        }
    }

    private static CachingBotTokenProvider Cache(IBotTokenSource source, TimeProvider clock) =>
        new(source, clock, new StaticMonitor<BotConnectorOptions>(new BotConnectorOptions()), NullLogger<CachingBotTokenProvider>.Instance);

    [Fact]
    public async Task Concurrent_callers_share_one_token_request()
    {
        var clock = new FakeTimeProvider();
        var source = new CountingSource(TimeSpan.FromHours(1));
        var cache = Cache(source, clock);
        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GetTokenAsync(CancellationToken.None))).ToList();
        source.Release.SetResult();
        var tokens = await Task.WhenAll(calls);
        Assert.All(tokens, token => Assert.Equal("token-1", token));
        Assert.Equal(1, source.Count);
    }

    [Fact]
    public async Task A_token_is_renewed_five_minutes_before_it_expires()
    {
        var clock = new FakeTimeProvider();
        var source = new CountingSource(TimeSpan.FromHours(1));
        source.Release.SetResult();
        var cache = Cache(source, clock);
        Assert.Equal("token-1", await cache.GetTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(54) + TimeSpan.FromSeconds(59));
        Assert.Equal("token-1", await cache.GetTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await cache.GetTokenAsync(CancellationToken.None));
        Assert.Equal("token-2", await cache.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Count);
    }

    [Fact]
    public async Task A_token_shorter_lived_than_the_renewal_margin_is_not_reused()
    {
        var source = new CountingSource(TimeSpan.FromMinutes(2));
        source.Release.SetResult();
        var cache = Cache(source, new FakeTimeProvider());
        await cache.GetTokenAsync(CancellationToken.None);
        await cache.GetTokenAsync(CancellationToken.None);
        Assert.Equal(2, source.Count);
    }

    [Fact]
    public void A_token_never_shows_in_ToString() =>
        Assert.DoesNotContain("secret-value", new BotAccessToken("secret-value", TimeSpan.FromHours(1)).ToString(), StringComparison.Ordinal);

    public static TheoryData<string?, string?, string?, string, string, string> Variants() => new()
    {
        // type, tenant, cloud, expected path, expected scope (or resource), expected client id field
        { null, null, null, "/botframework.com/oauth2/v2.0/token", "https://api.botframework.com/.default", "client_id" },
        { "MultiTenant", null, "USGov", "/MicrosoftServices.onmicrosoft.us/oauth2/v2.0/token", "https://api.botframework.us/.default", "client_id" },
        { "SingleTenant", Tenant, null, $"/{Tenant}/oauth2/v2.0/token", "https://api.botframework.com/.default", "client_id" },
        { "UserAssignedMSI", Tenant, null, "/metadata/identity/oauth2/token", "https://api.botframework.com", "client_id" },
        { "UserAssignedMSI", Tenant, "USGov", "/metadata/identity/oauth2/token", "https://api.botframework.us", "client_id" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task MSAL_asks_the_right_endpoint_for_each_app_type(string? type, string? tenant, string? cloud, string path, string scope, string clientIdField)
    {
        await using var tokens = await StandInTokenEndpoint.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = type == "UserAssignedMSI" ? null : "s3cr3t",
            ["MicrosoftAppType"] = type,
            ["MicrosoftAppTenantId"] = tenant,
            ["Bot:Cloud"] = cloud,
            ["Bot:CloudSettings:LoginEndpoint"] = tokens.LoginEndpoint,
            ["Bot:CloudSettings:ValidateAuthority"] = "false",
        };
        await using var host = await Hosting.BotTestHost.StartAsync(new Hosting.RecordingBot(), "Production", settings, builder =>
            builder.Services.AddHttpClient(MsalBotTokenSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(tokens.CreateHandler));
        var source = host.App.Services.GetRequiredService<IBotTokenSource>();

        var token = await source.AcquireAsync(CancellationToken.None);

        Assert.StartsWith(type == "UserAssignedMSI" ? "mi-token-" : "cc-token-", token.Value, StringComparison.Ordinal);
        Assert.InRange(token.Lifetime, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        var request = Assert.Single(tokens.Requests);
        // MSAL lower-cases the tenant in the authority.
        Assert.Equal(path, request.Path, ignoreCase: true);
        if (type == "UserAssignedMSI")
        {
            Assert.Equal(scope, request.Query["resource"]);
            Assert.Equal(AppId, request.Query[clientIdField]);
        }
        else
        {
            Assert.Equal(scope, request.Form["scope"]);
            Assert.Equal(AppId, request.Form[clientIdField]);
            Assert.Equal("s3cr3t", request.Form["client_secret"]);
            Assert.Equal("client_credentials", request.Form["grant_type"]);
        }

        // The cache decides when to renew; MSAL must then really ask again rather than hand back its own cached token.
        await source.AcquireAsync(CancellationToken.None);
        Assert.Equal(2, tokens.Requests.Count);
    }

    [Fact]
    public async Task A_bot_without_an_app_id_cannot_acquire_a_token()
    {
        var source = new MsalBotTokenSource(Options.Create(new BotCredentialsOptions()), Options.Create(new BotCloudOptions()), new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => source.AcquireAsync(CancellationToken.None));
    }
}
