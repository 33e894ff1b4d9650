using System.Net;

namespace BotRuntime.Tests.Authentication;

public sealed class EmulatorTokenValidationTests
{
    [Theory]
    [InlineData("1.0")]
    [InlineData("2.0")]
    public async Task An_emulator_token_runs_the_turn_and_its_serviceUrl_may_receive_the_bots_token(string version)
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var token = bed.Issuer.EmulatorToken(version, bed.Clock.GetUtcNow());
        // The Emulator's serviceUrl is not in its token: no serviceurl claim and no endorsement are required.
        var response = await bed.PostAsync(bed.Message(channelId: "emulator"), "Bearer " + token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("urn:botframework:azure", Assert.Single(bed.Bot.Received).CallerId);
        Assert.Equal("Bearer cc-token-1", Assert.Single(bed.Channel.Requests).Authorization);
        Assert.Equal(1, bed.Issuer.EmulatorFetches);
        Assert.Equal(0, bed.Issuer.ChannelFetches);
    }

    public static TheoryData<string> Refusals() =>
    [
        "another app's token (skill)", "v2 token with appid instead of azp", "no ver", "unknown ver", "aud is the Bot Connector (replayed outbound token)",
        "other tenant", "channel key", "expired",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_emulator_token_gets_401_and_no_turn(string defect)
    {
        await using var bed = await BotConnectorTestBed.StartAsync();
        var now = bed.Clock.GetUtcNow();
        var issuer = bed.Issuer;
        var token = defect switch
        {
            "another app's token (skill)" => issuer.EmulatorToken("1.0", now, d => d.Claims["appid"] = "0f4a6c1e-another-bot"),
            "v2 token with appid instead of azp" => issuer.EmulatorToken("2.0", now, d => { d.Claims.Remove("azp"); d.Claims["appid"] = StandInOpenIdIssuer.AppId; }),
            "no ver" => issuer.EmulatorToken("1.0", now, d => d.Claims.Remove("ver")),
            "unknown ver" => issuer.EmulatorToken("1.0", now, d => d.Claims["ver"] = "3.0"),
            "aud is the Bot Connector (replayed outbound token)" => issuer.EmulatorToken("1.0", now, d => d.Audience = "https://api.botframework.com"),
            "other tenant" => issuer.EmulatorToken("1.0", now, d => d.Issuer = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"),
            // Emulator tokens are signed by Azure AD keys; a key from the other metadata document is unknown there.
            "channel key" => issuer.EmulatorToken("1.0", now, key: issuer.ChannelKey),
            "expired" => issuer.EmulatorToken("2.0", now, d => { d.NotBefore = now.UtcDateTime.AddHours(-2); d.IssuedAt = d.NotBefore; d.Expires = now.UtcDateTime.AddMinutes(-10); }),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        var response = await bed.PostAsync(bed.Message(channelId: "emulator"), "Bearer " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, bed.Bot.Turns);
        Assert.Empty(bed.Channel.Requests);
        var line = Assert.Single(bed.RefusalLines());
        Assert.True(line.Contains(defect switch
        {
            "another app's token (skill)" => "appid is not the bot's own app id",
            "v2 token with appid instead of azp" => "no azp claim",
            "no ver" => "no ver claim",
            "unknown ver" => "unknown token version",
            "aud is the Bot Connector (replayed outbound token)" => "wrong audience",
            "other tenant" => "issuer is neither",
            "channel key" => "unknown signing key id",
            "expired" => "expired",
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        }, StringComparison.Ordinal), line);
    }

    [Fact]
    public async Task A_single_tenant_bot_accepts_emulator_tokens_from_its_own_tenant_only()
    {
        const string Tenant = "3c1a2b4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d";
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s =>
        {
            s["MicrosoftAppType"] = "SingleTenant";
            s["MicrosoftAppTenantId"] = Tenant;
        });
        var now = bed.Clock.GetUtcNow();
        var own = bed.Issuer.EmulatorToken("2.0", now, d => d.Issuer = $"https://login.microsoftonline.com/{Tenant}/v2.0");
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(id: "m1", channelId: "emulator"), "Bearer " + own)).StatusCode);
        var ownV1 = bed.Issuer.EmulatorToken("1.0", now, d => d.Issuer = $"https://sts.windows.net/{Tenant}/");
        Assert.Equal(HttpStatusCode.OK, (await bed.PostAsync(bed.Message(id: "m2", channelId: "emulator"), "Bearer " + ownV1)).StatusCode);
        var other = bed.Issuer.EmulatorToken("2.0", now, d => d.Issuer = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bed.PostAsync(bed.Message(id: "m3", channelId: "emulator"), "Bearer " + other)).StatusCode);
        Assert.Equal(2, bed.Bot.Turns);
    }

    [Fact]
    public async Task A_multi_tenant_bot_does_not_accept_a_tenant_issuer()
    {
        await using var bed = await BotConnectorTestBed.StartAsync(settings: s => s["MicrosoftAppTenantId"] = "3c1a2b4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d");
        var token = bed.Issuer.EmulatorToken("2.0", bed.Clock.GetUtcNow(), d => d.Issuer = "https://login.microsoftonline.com/3c1a2b4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d/v2.0");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bed.PostAsync(bed.Message(channelId: "emulator"), "Bearer " + token)).StatusCode);
        Assert.Equal(0, bed.Bot.Turns);
    }
}
