using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AriaBot.Tests.Web;
using BotRuntime.Schema;
using BotRuntime.State;
using static AriaBot.Tests.DirectLineHttp;

namespace AriaBot.Tests.Session;

/// <summary>
/// Finding 2 of issue 24: with an unauthenticated <c>/api/messages</c> (Development, or <c>Bot:AllowAnonymous</c>), a
/// caller posting <c>channelId: "directline"</c> with a victim's Direct Line conversation id and <c>dl_</c> user id ran
/// turns as the signed-in victim (a preview and a committed <c>replace_acct_plan_m</c> on their account). A binding
/// now answers only turns from the ingress that made it, and an anonymous caller cannot reach a conversation of our
/// own Direct Line at all. Everything runs on the real host: real Direct Line endpoints, real sign-in page, the
/// sandbox's call log as the proof of what reached Aria.
/// </summary>
public sealed class IngressIsolationTests
{
    private const string DirectLine = "/v3/directline";

    [Theory]
    [InlineData("code")]
    [InlineData("portal token")]
    public async Task An_anonymous_api_messages_caller_with_a_Direct_Line_customers_ids_is_refused_and_nothing_reaches_Aria(string signedInBy)
    {
        await using var host = new AssistantTestHost();
        var victim = await SignedInVictimAsync(host, signedInBy);
        var callsBefore = host.Sandbox.Calls.All.Count;

        foreach (var text in new[] { "switch my plan", "Premium", "yes" })
        {
            var response = await AnonymousAsync(host, Channels.DirectLine, victim.ConversationId, victim.UserId, text);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        Assert.Equal(callsBefore, host.Sandbox.Calls.All.Count);

        // The same ids under another channelId are refused as well: the conversation is our Direct Line's.
        Assert.Equal(HttpStatusCode.Forbidden, (await AnonymousAsync(host, Channels.Webchat, victim.ConversationId, victim.UserId, "switch my plan")).StatusCode);

        // The customer's own conversation, through the ingress they signed in on, carries on and can switch.
        await victim.SayAsync("switch my plan");
        var preview = await victim.SayAsync("Premium");
        Assert.Contains("Switch from Standard to Premium", Texts(preview), StringComparison.Ordinal);
        var done = await victim.SayAsync("yes");
        Assert.Contains("You're now on Premium", Texts(done), StringComparison.Ordinal);
        Assert.Equal(1, Writes(host));
    }

    [Fact]
    public async Task An_anonymous_confirmation_cannot_commit_a_Direct_Line_customers_open_preview()
    {
        await using var host = new AssistantTestHost();
        var victim = await DirectLineChat.StartAsync(host);
        await victim.SignInByCodeAsync("alice", "alice-demo-1");
        await victim.SayAsync("switch my plan");
        Assert.Contains("Switch from Standard to Premium", Texts(await victim.SayAsync("Premium")), StringComparison.Ordinal);

        var yes = await AnonymousAsync(host, Channels.DirectLine, victim.ConversationId, victim.UserId, "yes");
        Assert.Equal(HttpStatusCode.Forbidden, yes.StatusCode);
        Assert.Equal(0, Writes(host));

        // The preview is still the customer's to confirm.
        Assert.Contains("You're now on Premium", Texts(await victim.SayAsync("yes")), StringComparison.Ordinal);
        Assert.Equal(1, Writes(host));
    }

    /// <summary>
    /// The second line of defence, on its own: once our Direct Line has forgotten a conversation (its log is kept
    /// <c>DirectLine:ActivityRetention</c>, here shorter than a binding lives), nothing in the runtime tells an anonymous
    /// look-alike apart from a new conversation; the binding itself must still refuse to answer it.
    /// </summary>
    [Theory]
    [InlineData("code")]
    [InlineData("portal token")]
    public async Task A_binding_made_through_Direct_Line_never_answers_an_anonymous_turn_whatever_its_ids(string signedInBy)
    {
        await using var host = new AssistantTestHost(new() { ["DirectLine:ActivityRetention"] = "00:01:00" });
        var victim = await SignedInVictimAsync(host, signedInBy);
        await victim.SayAsync("switch my plan");
        Assert.Contains("Switch from Standard to Premium", Texts(await victim.SayAsync("Premium")), StringComparison.Ordinal);
        host.Time.Advance(TimeSpan.FromMinutes(2));
        var calls = host.Sandbox.Calls.All.Count;

        // The attacker confirms the open preview, then tries a switch of their own.
        var yes = await AnonymousRepliesAsync(host, victim.ConversationId, victim.UserId, "yes");
        var again = await AnonymousRepliesAsync(host, victim.ConversationId, victim.UserId, "switch my plan");
        // Not a preview, not a write, not even a validation of the customer's session reached Aria.
        Assert.Equal(calls, host.Sandbox.Calls.All.Count);
        Assert.Equal(0, Writes(host));
        // … and is told to sign in.
        Assert.Contains(yes.Concat(again), reply => reply.Attachments?.Any(card => card.ContentType == ContentTypes.HeroCard && card.Content!.Value.GetRawText().Contains("/signin?state=", StringComparison.Ordinal)) == true);
        Assert.Equal(Standard, host.Sandbox.PlanInstances(Alice).Single(i => i.ParentPlanInstanceNo is null).PlanNo);
    }

    [Fact]
    public async Task The_unauthenticated_ingress_keeps_working_with_its_own_sign_in_as_in_the_README_curl_walk_through()
    {
        await using var host = new AssistantTestHost();
        const string conversation = "curl-1";
        var asked = await AnonymousRepliesAsync(host, conversation, "me", "sign in", channelId: Channels.Test);
        var link = AssistantTestHost.LinkIn(asked.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(host.NewBrowser(), link);
        await AnonymousRepliesAsync(host, conversation, "me", page.Code!, channelId: Channels.Test);

        await AnonymousRepliesAsync(host, conversation, "me", "switch my plan", channelId: Channels.Test);
        var preview = await AnonymousRepliesAsync(host, conversation, "me", "Premium", channelId: Channels.Test);
        Assert.Contains("Switch from Standard to Premium", Texts(preview), StringComparison.Ordinal);
        Assert.Contains("You're now on Premium", Texts(await AnonymousRepliesAsync(host, conversation, "me", "yes", channelId: Channels.Test)), StringComparison.Ordinal);
        Assert.Equal(1, Writes(host));
    }

    [Fact]
    public async Task A_binding_stored_before_bindings_recorded_their_ingress_is_never_trusted_and_the_customer_signs_in_again()
    {
        await using var host = new AssistantTestHost();
        var chat = await DirectLineChat.StartAsync(host);
        // Exactly what the previous version stored for a customer who had signed in by code on this conversation.
        var session = await host.OpenAriaSessionAsync();
        await host.Storage.WriteAsync($"session-bindings/c/directline/{Uri.EscapeDataString(chat.ConversationId)}/{Uri.EscapeDataString(chat.UserId)}", new Dictionary<string, object>
        {
            ["ariaSessionId"] = session,
            ["accountNo"] = Alice,
            ["ariaUserId"] = "alice",
            ["boundAt"] = host.Time.GetUtcNow(),
            ["source"] = "SignIn",
            ["extendedAt"] = host.Time.GetUtcNow(),
        }, StoreWrite.AnyETag, host.Time.GetUtcNow() + TimeSpan.FromHours(12));
        var calls = host.Sandbox.Calls.All.Count;

        var asked = await chat.SayAsync("switch my plan");
        Assert.Empty(AccountCallsSince(host, calls));
        Assert.Contains(asked, reply => reply.Attachments?.Any(card => card.Content!.Value.GetRawText().Contains("/signin?state=", StringComparison.Ordinal)) == true);

        // Signing in again replaces it, and the customer carries on.
        var link = AssistantTestHost.LinkIn(asked.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(host.NewBrowser(), link);
        await chat.SayAsync(page.Code!);
        await chat.SayAsync("switch my plan");
        Assert.Contains("Switch from Standard to Premium", Texts(await chat.SayAsync("Premium")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_mode_a_registered_session_serves_the_Bot_Connector_turn_with_its_JWT_and_nothing_else()
    {
        await using var azure = await AzureBotService.StartAsync();
        await using var host = new AssistantTestHost(azure.Settings());
        var session = await host.OpenAriaSessionAsync();
        var registered = await SendAsync(host, HttpMethod.Post, "/api/session-bindings", AssistantTestHost.BindingSecret,
            new { userId = "dl_azure-ana", channelId = Channels.DirectLine, binding = new { ariaSessionId = session } });
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);

        // Our own Direct Line, with a token for the very same user id (the secret holder chooses it), cannot claim it.
        var generated = JsonDocument.Parse(await (await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_azure-ana" } })).Content.ReadAsStringAsync()).RootElement;
        var lookAlike = await DirectLineChat.StartAsync(host, generated);
        var calls = host.Sandbox.Calls.All.Count;
        var asked = await lookAlike.SayAsync("switch my plan");
        Assert.Empty(AccountCallsSince(host, calls));
        Assert.Contains(asked, reply => reply.Attachments?.Any(card => card.Content!.Value.GetRawText().Contains("/signin?state=", StringComparison.Ordinal)) == true);

        // Without the channel's JWT nothing runs at all.
        Assert.Equal(HttpStatusCode.Unauthorized, (await AnonymousAsync(host, Channels.DirectLine, "azure-conv-1", "dl_azure-ana", "switch my plan")).StatusCode);

        // Azure's Direct Line, authenticated, is the customer: the switch goes through.
        await AzureAsync(host, azure, "azure-conv-1", "dl_azure-ana", "switch my plan");
        Assert.Contains("Switch from Standard to Premium", Texts(await AzureAsync(host, azure, "azure-conv-1", "dl_azure-ana", "Premium")), StringComparison.Ordinal);
        Assert.Contains("You're now on Premium", Texts(await AzureAsync(host, azure, "azure-conv-1", "dl_azure-ana", "yes")), StringComparison.Ordinal);
        Assert.Equal(1, Writes(host));
    }

    // ---- helpers ----

    private static async Task<IReadOnlyList<Activity>> AzureAsync(AssistantTestHost host, AzureBotService azure, string conversationId, string userId, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ChannelId = Channels.DirectLine,
            ServiceUrl = AzureBotService.ServiceUrl,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = userId },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative)) { Content = JsonContent.Create(activity, options: BotJson.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", azure.ChannelToken(host.Time.GetUtcNow()));
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options))!.Activities!;
    }

    /// <summary>Alice, signed in on our Direct Line by the sign-in code, or with a token the portal had bound to her session.</summary>
    private static async Task<DirectLineChat> SignedInVictimAsync(AssistantTestHost host, string signedInBy)
    {
        if (signedInBy == "code")
        {
            var chat = await DirectLineChat.StartAsync(host);
            await chat.SignInByCodeAsync("alice", "alice-demo-1");
            return chat;
        }
        return await DirectLineChat.StartAsync(host, binding: new { ariaSessionId = await host.OpenAriaSessionAsync() });
    }

    private const long Alice = 1000001;
    private const long Standard = 12;

    /// <summary>The Aria calls since the first <paramref name="skip"/> that touch a session or an account (the client's catalog is no one's).</summary>
    private static List<string> AccountCallsSince(AssistantTestHost host, int skip) =>
        [.. host.Sandbox.Calls.All.Skip(skip).Select(call => call.RestCall).Where(name => !name.StartsWith("get_client_", StringComparison.Ordinal))];

    private static int Writes(AssistantTestHost host) => host.Sandbox.Calls.All.Count(call => call.RestCall == "replace_acct_plan_m" && call.DoWrite == true);

    private static string Texts(IEnumerable<Activity> replies) => string.Join("\n", replies.Select(reply => reply.Text + " " + string.Join(" ", (reply.Attachments ?? []).Select(a => a.Content?.GetRawText()))));

    private static async Task<HttpResponseMessage> AnonymousAsync(AssistantTestHost host, string channelId, string conversationId, string userId, string text)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ChannelId = channelId,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = userId },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = "en-US",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        return await host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
    }

    private static async Task<IReadOnlyList<Activity>> AnonymousRepliesAsync(AssistantTestHost host, string conversationId, string userId, string text, string channelId = Channels.DirectLine)
    {
        var response = await AnonymousAsync(host, channelId, conversationId, userId, text);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options))!.Activities!;
    }

    /// <summary>A customer's web chat over this host's own Direct Line, as Web Chat drives it.</summary>
    private sealed class DirectLineChat
    {
        private readonly AssistantTestHost _host;

        private DirectLineChat(AssistantTestHost host, string token, string conversationId, string userId)
        {
            _host = host;
            Token = token;
            ConversationId = conversationId;
            UserId = userId;
        }

        public string Token { get; }

        public string ConversationId { get; }

        public string UserId { get; }

        public static async Task<DirectLineChat> StartAsync(AssistantTestHost host, object? binding = null)
        {
            var generated = await SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret, binding is null ? new { } : new { binding });
            Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
            return await StartAsync(host, JsonDocument.Parse(await generated.Content.ReadAsStringAsync()).RootElement);
        }

        /// <summary>Opens the conversation of an answer of <c>tokens/generate</c>.</summary>
        public static async Task<DirectLineChat> StartAsync(AssistantTestHost host, JsonElement body)
        {
            var token = body.GetProperty("token").GetString()!;
            var chat = new DirectLineChat(host, token, body.GetProperty("conversationId").GetString()!, WebHost.JwtPayload(token).GetProperty("user").GetString()!);
            Assert.StartsWith("dl_", chat.UserId, StringComparison.Ordinal);
            Assert.True((await SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).IsSuccessStatusCode);
            return chat;
        }

        public async Task SignInByCodeAsync(string userId, string password)
        {
            var asked = await SayAsync("sign in");
            var link = AssistantTestHost.LinkIn(asked.First(reply => reply.Attachments is { Count: > 0 }));
            var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link, userId, password);
            Assert.NotNull(page.Code);
            await SayAsync(page.Code);
        }

        /// <summary>Posts one message and returns the bot's replies to it.</summary>
        public async Task<IReadOnlyList<Activity>> SayAsync(string text)
        {
            var posted = await SendAsync(_host, HttpMethod.Post, $"{DirectLine}/conversations/{ConversationId}/activities", Token,
                new { type = "message", text, locale = "en-US", from = new { id = UserId } });
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            var id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            var set = await SendAsync(_host, HttpMethod.Get, $"{DirectLine}/conversations/{ConversationId}/activities", Token);
            var activities = JsonSerializer.Deserialize<JsonElement>(await set.Content.ReadAsStringAsync()).GetProperty("activities");
            return [.. activities.EnumerateArray()
                .Where(a => a.TryGetProperty("replyToId", out var to) && to.GetString() == id)
                .Select(a => a.Deserialize<Activity>(BotJson.Options)!)];
        }
    }
}
