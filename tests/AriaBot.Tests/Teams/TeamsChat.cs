using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BotRuntime.Authentication;
using BotRuntime.Schema;
using BotRuntime.Tests.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Teams;

/// <summary>
/// The assistant behind Azure Bot Service's Teams channel: the real host with an app id, Teams activities posted to
/// <c>/api/messages</c> with channel JWTs the stand-in issuer signed (its channel key is endorsed for <c>msteams</c>),
/// and the replies going to <see cref="StandInTeamsConnector"/> as they would to Teams.
/// </summary>
internal sealed class TeamsChat : IAsyncDisposable
{
    public const string BotId = "28:" + StandInOpenIdIssuer.AppId;
    public const string TenantA = "72f988bf-0000-4000-8000-00000000000a";

    private readonly StandInOpenIdIssuer _issuer;
    private int _next;

    private TeamsChat(StandInOpenIdIssuer issuer, StandInTeamsConnector connector, AssistantTestHost host)
    {
        _issuer = issuer;
        Connector = connector;
        Host = host;
    }

    public StandInTeamsConnector Connector { get; }

    public AssistantTestHost Host { get; }

    public static async Task<TeamsChat> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var issuer = await StandInOpenIdIssuer.StartAsync();
        var connector = await StandInTeamsConnector.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = StandInOpenIdIssuer.AppId,
            ["MicrosoftAppPassword"] = "s3cr3t-client-secret",
            ["MicrosoftAppType"] = "MultiTenant",
            ["Bot:CloudSettings:ChannelOpenIdMetadataUrl"] = issuer.ChannelMetadataUrl,
            ["Bot:CloudSettings:EmulatorOpenIdMetadataUrl"] = issuer.EmulatorMetadataUrl,
            ["Bot:CloudSettings:ValidateAuthority"] = "false",
            ["Bot:ConnectorRetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        // The outbound token would come from Azure AD; its own path is tested in BotRuntime.Tests.
        var host = new AssistantTestHost(values, services => services.AddSingleton<IBotTokenProvider>(new FixedToken()));
        var chat = new TeamsChat(issuer, connector, host);
        // The Retry-After of a 429 is waited on the host's fake clock: move it on (as real time would) until the retry
        // arrives — once is not enough when the retry's timer is set only after the first move (a loaded machine).
        connector.Throttled = () => _ = Task.Run(async () =>
        {
            var answered = connector.Requests.Count;
            for (var i = 0; i < 200 && connector.Requests.Count == answered; i++)
            {
                await Task.Delay(50);
                host.Time.Advance(TimeSpan.FromSeconds(1));
            }
        });
        return chat;
    }

    /// <summary>A Teams activity of <paramref name="conversationType"/> from <paramref name="userId"/> (ids shaped as Teams', tenant A).</summary>
    public Activity Message(string text, string conversationId, string conversationType = "personal", string userId = "29:ana", string? tenantId = TenantA) => new()
    {
        Type = ActivityTypes.Message,
        Id = $"1700000000{Interlocked.Increment(ref _next):D3}",
        ChannelId = Channels.Msteams,
        ServiceUrl = Connector.ServiceUrl,
        Conversation = new ConversationAccount { Id = conversationId, ConversationType = conversationType, TenantId = tenantId, IsGroup = conversationType == "personal" ? null : true },
        From = new ChannelAccount { Id = userId, Name = userId == "29:ana" ? "Ana" : "Ben", AadObjectId = Guid.NewGuid().ToString() },
        Recipient = new ChannelAccount { Id = BotId, Name = "AriaBot" },
        Text = text,
        Locale = "en-US",
        ChannelData = tenantId is null ? null : JsonSerializer.SerializeToElement(new { tenant = new { id = tenantId } }),
    };

    /// <summary>A message that @mentions the bot as Teams writes it: <c>&lt;at&gt;AriaBot&lt;/at&gt;</c> plus a mention entity.</summary>
    public Activity Mentioning(string text, string conversationId, string conversationType, string userId = "29:ana")
    {
        var activity = Message($"<at>AriaBot</at> {text}", conversationId, conversationType, userId);
        activity.Entities =
        [
            new Entity
            {
                Type = "mention",
                Properties = new()
                {
                    ["text"] = JsonSerializer.SerializeToElement("<at>AriaBot</at>"),
                    ["mentioned"] = JsonSerializer.SerializeToElement(new { id = BotId, name = "AriaBot" }),
                },
            },
        ];
        return activity;
    }

    /// <summary>Posts an activity with a valid channel JWT for the connector's serviceUrl; returns the HTTP answer.</summary>
    public async Task<HttpResponseMessage> PostAsync(Activity activity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative)) { Content = JsonContent.Create(activity, options: BotJson.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.ChannelToken(activity.ServiceUrl, Host.Time.GetUtcNow()));
        return await Host.Client.SendAsync(request);
    }

    /// <summary>Posts and returns the replies the connector accepted for it (in order).</summary>
    public async Task<List<Activity>> SayAsync(Activity activity)
    {
        var before = Connector.Delivered.Count;
        var response = await PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. Connector.Delivered.Skip(before).Select(r => r.Activity!)];
    }

    /// <summary>Everything visible in replies: their text and their cards' JSON.</summary>
    public static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(reply => reply.Text + " " + string.Join(" ", (reply.Attachments ?? []).Select(a => a.Content?.GetRawText()))));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Connector.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private sealed class FixedToken : IBotTokenProvider
    {
        public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult("teams-test-token");
    }
}
