using System.Net;
using BotRuntime.Authentication;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace BotRuntime.Tests.Authentication;

public sealed class ChannelTokenValidationTests
{
    [Fact]
    public async Task A_valid_channel_token_runs_the_turn_and_the_reply_carries_the_bots_token()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var response = await bed.PostWithChannelTokenAsync(bed.Message("hello", id: "m1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(bed.Bot.Received);
        // callerId comes from what was proven, never from the wire.
        Assert.Equal("urn:botframework:azure", seen.CallerId);
        var reply = Assert.Single(bed.Channel.Requests);
        Assert.Equal("/v3/conversations/c1/activities/m1", reply.Path);
        Assert.Equal("Bearer cc-token-1", reply.Authorization);
        Assert.Equal("echo: hello #1", reply.Activity!.Text);
        Assert.Empty(bed.RefusalLines());
    }

    [Fact]
    public async Task A_caller_id_sent_on_the_wire_is_replaced_by_the_proven_one()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var activity = bed.Message();
        activity.CallerId = "urn:botframework:aadappid:someone-else";
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(activity)).StatusCode);
        Assert.Equal("urn:botframework:azure", Assert.Single(bed.Bot.Received).CallerId);
    }

    public static TheoryData<string> Refusals() =>
    [
        "wrong audience", "wrong issuer", "expired", "not yet valid", "no expiry", "bad signature", "unknown kid", "no kid",
        "endorsement mismatch", "key without endorsements", "missing serviceurl", "mismatched serviceurl",
        "HS256 algorithm", "unsigned", "non-Bearer scheme", "bearer without token", "not a JWT",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_channel_token_gets_401_with_no_body_no_turn_and_a_log_line(string defect)
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var now = bed.Clock.GetUtcNow();
        var activity = bed.Message();
        var serviceUrl = activity.ServiceUrl;
        var issuer = bed.Issuer;
        var foreignKey = new StandInOpenIdIssuer.SigningKey(issuer.ChannelKey.Kid, ["test"], keyMaterial: "foreign");
        var unendorsed = new StandInOpenIdIssuer.SigningKey("channel-key-unendorsed");
        issuer.Publish(issuer.ChannelKeys, unendorsed);
        var teamsOnly = new StandInOpenIdIssuer.SigningKey("channel-key-teams", ["msteams"]);
        issuer.Publish(issuer.ChannelKeys, teamsOnly);

        var header = defect switch
        {
            "wrong audience" => Bearer(issuer.ChannelToken(serviceUrl, now, d => d.Audience = "another-bot")),
            "wrong issuer" => Bearer(issuer.ChannelToken(serviceUrl, now, d => d.Issuer = "https://api.botframework.evil")),
            "expired" => Bearer(issuer.ChannelToken(serviceUrl, now, d => { d.NotBefore = now.UtcDateTime.AddHours(-2); d.IssuedAt = d.NotBefore; d.Expires = now.UtcDateTime.AddMinutes(-6); })),
            "not yet valid" => Bearer(issuer.ChannelToken(serviceUrl, now, d => { d.NotBefore = now.UtcDateTime.AddMinutes(6); d.IssuedAt = d.NotBefore; d.Expires = now.UtcDateTime.AddHours(1); })),
            "no expiry" => Bearer(issuer.ChannelToken(serviceUrl, now, d => d.Expires = null)),
            // Same kid as the published key, different private key: the signature cannot verify.
            "bad signature" => Bearer(issuer.ChannelToken(serviceUrl, now, key: foreignKey)),
            "unknown kid" => Bearer(issuer.ChannelToken(serviceUrl, now, key: new StandInOpenIdIssuer.SigningKey("never-published", ["test"]))),
            "no kid" => Bearer(issuer.ChannelToken(serviceUrl, now, d => d.SigningCredentials = new SigningCredentials(new RsaSecurityKey(issuer.ChannelKey.Rsa), SecurityAlgorithms.RsaSha256))),
            "endorsement mismatch" => Bearer(issuer.ChannelToken(serviceUrl, now, key: teamsOnly)),
            "key without endorsements" => Bearer(issuer.ChannelToken(serviceUrl, now, key: unendorsed)),
            "missing serviceurl" => Bearer(issuer.ChannelToken(null, now)),
            "mismatched serviceurl" => Bearer(issuer.ChannelToken("https://attacker.example.net/", now)),
            "HS256 algorithm" => Bearer(issuer.ChannelToken(serviceUrl, now, d => d.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]) { KeyId = issuer.ChannelKey.Kid }, SecurityAlgorithms.HmacSha256))),
            "unsigned" => Bearer(Unsigned(issuer.ChannelToken(serviceUrl, now))),
            "non-Bearer scheme" => "Basic " + issuer.ChannelToken(serviceUrl, now),
            "bearer without token" => "Bearer ",
            "not a JWT" => "Bearer not.a.jwt",
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        var response = await bed.PostAsync(activity, header);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, bed.Bot.Turns);
        Assert.Empty(bed.Channel.Requests);
        var line = Assert.Single(bed.RefusalLines());
        Assert.DoesNotContain(header.Split(' ').Last() is { Length: > 10 } token ? token : "\u0000", line, StringComparison.Ordinal);
        Assert.True(line.Contains(ExpectedReason(defect), StringComparison.Ordinal), line);
    }

    private static string ExpectedReason(string defect) => defect switch
    {
        "wrong audience" => "wrong audience",
        "wrong issuer" => "issuer is neither",
        "expired" => "expired",
        "not yet valid" => "not yet valid",
        "no expiry" => "no expiry",
        "bad signature" => "bad signature",
        "unknown kid" => "unknown signing key id",
        "no kid" => "names no signing key",
        "endorsement mismatch" => "not endorsed for channel 'test'",
        "key without endorsements" => "carries no channel endorsements",
        "missing serviceurl" => "no serviceurl claim",
        "mismatched serviceurl" => "serviceurl claim does not match",
        "HS256 algorithm" or "unsigned" => "algorithm is not RS256, RS384 or RS512",
        "non-Bearer scheme" or "bearer without token" => "not 'Bearer <token>'",
        "not a JWT" => "not a well-formed JWT",
        _ => throw new ArgumentOutOfRangeException(nameof(defect)),
    };

    private static string Bearer(string token) => "Bearer " + token;

    /// <summary>The same header and payload with <c>alg: none</c> and no signature.</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT","kid":"channel-key-1"}""")}.{parts[1]}.";
    }

    [Fact]
    public async Task The_clock_skew_is_five_minutes()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var now = bed.Clock.GetUtcNow();
        var justExpired = bed.Issuer.ChannelToken(bed.ServiceUrl, now, d => { d.NotBefore = now.UtcDateTime.AddHours(-1); d.IssuedAt = d.NotBefore; d.Expires = now.UtcDateTime.AddMinutes(-4); });
        var almostValid = bed.Issuer.ChannelToken(bed.ServiceUrl, now, d => { d.NotBefore = now.UtcDateTime.AddMinutes(4); d.IssuedAt = d.NotBefore; d.Expires = now.UtcDateTime.AddHours(1); });
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(id: "m1"), "Bearer " + justExpired)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(id: "m2"), "Bearer " + almostValid)).StatusCode);
        Assert.Equal(2, bed.Bot.Turns);
    }

    [Theory]
    [InlineData(Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha384)]
    [InlineData(Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha512)]
    public async Task RS384_and_RS512_are_accepted(string algorithm)
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var token = bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow(), algorithm: algorithm);
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(), "Bearer " + token)).StatusCode);
        Assert.Equal(1, bed.Bot.Turns);
    }

    [Fact]
    public async Task The_serviceurl_claim_is_compared_case_insensitively()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var token = bed.Issuer.ChannelToken(bed.ServiceUrl.ToUpperInvariant().Replace("HTTP://", "http://", StringComparison.Ordinal), bed.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(), "Bearer " + token)).StatusCode);
    }

    [Fact]
    public async Task A_token_for_one_serviceUrl_cannot_be_replayed_to_steer_replies_elsewhere()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        await using var attacker = await Hosting.StandInChannel.StartAsync();
        // A genuine token captured from the real channel, replayed with the attacker's serviceUrl in the activity.
        var token = bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow());
        var response = await bed.PostAsync(bed.Message(serviceUrl: attacker.ServiceUrl.AbsoluteUri), "Bearer " + token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, bed.Bot.Turns);
        Assert.Empty(attacker.Requests);
    }

    [Fact]
    public async Task Without_a_header_a_bot_with_an_app_id_refuses_the_request()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var response = await bed.PostAsync(bed.Message(), authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, bed.Bot.Turns);
        Assert.Contains("no Authorization header", Assert.Single(bed.RefusalLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_anonymous_mode_a_present_header_is_validated_and_fails_even_with_a_genuine_token()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s =>
        {
            s["MicrosoftAppId"] = null;
            s["MicrosoftAppPassword"] = null;
            s["Bot:AllowAnonymous"] = "true";
        });
        var token = bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow());
        var response = await bed.PostAsync(bed.Message(id: "m1"), "Bearer " + token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, bed.Bot.Turns);
        Assert.Contains("no app id", Assert.Single(bed.RefusalLines()), StringComparison.Ordinal);

        // The same bot still runs anonymous requests (no header), replying to loopback without a token.
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(id: "m2"), authorization: null)).StatusCode);
        Assert.Equal(1, bed.Bot.Turns);
        Assert.Null(Assert.Single(bed.Channel.Requests).Authorization);
        Assert.Empty(bed.Tokens.Requests);
    }

    [Fact]
    public async Task Signing_keys_are_fetched_once_for_many_requests()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: $"m{i}"))).StatusCode);
        }
        Assert.Equal(1, bed.Issuer.ChannelFetches);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_keys_once_and_accepts_a_newly_published_key()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bed.PostWithChannelTokenAsync(bed.Message(id: "m1"))).StatusCode);
        Assert.Equal(1, bed.Issuer.ChannelFetches);

        // The service rolls its keys: a token signed with the new key arrives before our scheduled refresh.
        var rolled = new StandInOpenIdIssuer.SigningKey("channel-key-2", ["test"]);
        bed.Issuer.Publish(bed.Issuer.ChannelKeys, rolled);
        var token = bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow(), key: rolled);
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(id: "m2"), "Bearer " + token)).StatusCode);
        Assert.Equal(2, bed.Issuer.ChannelFetches);

        // Made-up kids right after do not make the bot fetch again (at most once per Bot:SigningKeyMinRefreshInterval).
        for (var i = 0; i < 3; i++)
        {
            var bogus = bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow(), key: new StandInOpenIdIssuer.SigningKey($"bogus-{i}", ["test"]));
            Assert.Equal(HttpStatusCode.Unauthorized, (await bed.PostAsync(bed.Message(id: $"b{i}"), "Bearer " + bogus)).StatusCode);
        }
        Assert.Equal(2, bed.Issuer.ChannelFetches);
        Assert.Equal(2, bed.Bot.Turns);
    }

    [Fact]
    public async Task When_the_metadata_cannot_be_fetched_requests_get_401()
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        bed.Issuer.Failing = true;
        var response = await bed.PostWithChannelTokenAsync(bed.Message());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, bed.Bot.Turns);
        Assert.Contains("signing keys could not be fetched", Assert.Single(bed.RefusalLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authenticator_stamps_the_us_gov_caller_id_in_the_us_gov_cloud()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s =>
        {
            s["Bot:Cloud"] = "USGov";
            s["Bot:CloudSettings:ChannelTokenIssuer"] = StandInOpenIdIssuer.ChannelIssuer;
        });
        var authenticator = bed.Host.App.Services.GetRequiredService<IBotRequestAuthenticator>();
        var activity = bed.Message();
        var result = await authenticator.AuthenticateAsync("Bearer " + bed.Issuer.ChannelToken(bed.ServiceUrl, bed.Clock.GetUtcNow()), activity, CancellationToken.None);
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("urn:botframework:azureusgov", result.CallerId);
        Assert.Equal(StandInOpenIdIssuer.AppId, result.Identity!.FindFirst("aud")!.Value);
        Assert.Equal(ActivityTypes.Message, activity.Type);
    }
}
