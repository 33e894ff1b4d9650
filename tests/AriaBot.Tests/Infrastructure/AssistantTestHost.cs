using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Sandbox = Aria.Sandbox.AriaSandbox;

namespace AriaBot.Tests;

/// <summary>
/// The real AriaBot host (Development, the sandbox Aria in-process, state in memory) on one
/// <see cref="FakeTimeProvider"/> that drives the bot, the sign-in page and the sandbox alike, with every log line
/// captured at Trace. Dialog tests run a dialog from this host's services under a <see cref="DialogTestClient"/>;
/// conversation tests talk to the whole assistant through <see cref="Conversation"/>; page tests go through the
/// real HTTP pipeline.
/// </summary>
internal sealed partial class AssistantTestHost : IAsyncDisposable
{
    public const string DirectLineSecret = "test-direct-line-secret-0123456789";
    public const string BindingSecret = "test-binding-secret-0123456789";
    public static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 11)).ToArray());

    private readonly WebApplicationFactory<Program> _factory;

    /// <param name="start">
    /// The clock's start; default the real "now". A fixed start makes dates and prorated amounts repeatable (transcripts);
    /// use it only where nothing reads the wall clock (no sign-in page, no Direct Line tokens).
    /// </param>
    public AssistantTestHost(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, DateTimeOffset? start = null)
    {
        // Real "now", so that anything outside our control that still reads the wall clock agrees to the minute.
        Time = new FakeTimeProvider(start ?? TimeProvider.System.GetUtcNow());
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("State:Provider", "Memory");
            builder.UseSetting("SignIn:PublicBaseUrl", "http://localhost");
            builder.UseSetting("Aria:RetryDelay", "00:00:00.010");
            builder.UseSetting("DirectLine:Secrets:0", DirectLineSecret);
            builder.UseSetting("DirectLine:SigningKey", SigningKey);
            builder.UseSetting("DirectLine:SessionBindingSecret", BindingSecret);
            // The page's answers wait on the fake clock, which only a test moves; tests about that wait set it again.
            builder.UseSetting("SignIn:MinimumResponseTime", "00:00:00");
            // The understander's catalog names are read by the first free-text turn, which waits for them (the bound is
            // on the fake clock), and are not read again in the background: a test's Aria calls are its own, made in its
            // turns, as before the names were cached. Catalog/UnderstandingCatalogTests and SlowCatalogTurnTests cover
            // the warm-up, the bound and the background reads.
            builder.UseSetting("Catalog:WarmUp", "false");
            builder.UseSetting("Catalog:FirstReadTimeout", "00:01:00");
            builder.UseSetting("Catalog:NamesRefreshAfter", "7.00:00:00");
            // No background warm-up of the turn's path in every test host (Shell/FirstTurnWarmUpTests turns it on).
            builder.UseSetting("Shell:WarmUp", "false");
            foreach (var (key, value) in settings ?? [])
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
            builder.ConfigureTestServices(collection =>
            {
                collection.AddSingleton<TimeProvider>(Time);
                services?.Invoke(collection);
            });
        });
        Client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>A browser: keeps the antiforgery cookie between the GET and the POST.</summary>
    public HttpClient Client { get; }

    public Sandbox Sandbox => Services.GetRequiredService<Sandbox>();

    public IStorage Storage => Services.GetRequiredService<IStorage>();

    public IAccountSession AccountSession => Services.GetRequiredService<IAccountSession>();

    public ISessionBindings Bindings => Services.GetRequiredService<ISessionBindings>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    /// <summary>A WebSocket client on the in-process server (the Direct Line stream).</summary>
    public WebSocketClient WebSocketClient() => _factory.Server.CreateWebSocketClient();

    /// <summary>A new browser (its own cookies), as when a link is forwarded to someone else.</summary>
    public HttpClient NewBrowser() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A new browser on <paramref name="baseAddress"/> (e.g. https, so that it sends back cookies marked Secure).</summary>
    public HttpClient NewBrowser(Uri baseAddress) =>
        _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress });

    public DialogTestClient Chat(string userId = "user1", string conversationId = "convo1", string channelId = Channels.Webchat, string locale = "en-US",
        string? conversationType = null, bool? isGroup = null, BotRuntime.Dialogs.Dialog? dialog = null) =>
        new(dialog ?? Services.GetRequiredService<SignInDialog>(), new DialogTestClientOptions
        {
            Adapter = new TestAdapterOptions
            {
                UserId = userId,
                ConversationId = conversationId,
                ChannelId = channelId,
                Locale = locale,
                ConversationType = conversationType,
                IsGroup = isGroup,
                TimeProvider = Time,
            },
            Storage = Storage,
            Middleware = [new AriaCallLedgerMiddleware()],
        });

    /// <summary>A message from <paramref name="userId"/> (by default the adapter's user) in the test conversation.</summary>
    public static Task<Activity?> SayAsync(DialogTestClient chat, string text, string? userId = null)
    {
        var activity = chat.Adapter.MakeActivity(text);
        if (userId is not null)
        {
            activity.From = new ChannelAccount { Id = userId, Name = userId, Role = RoleTypes.User };
        }
        return chat.SendActivityAsync(activity);
    }

    /// <summary>Runs one turn of <paramref name="callback"/> as the given chat user (the Aria call ledger in place).</summary>
    public async Task RunTurnAsync(BindingKey key, Func<ITurnContext, Task> callback, bool withLedger = true, string text = "hi")
    {
        var adapter = new TestAdapter(new TestAdapterOptions { ChannelId = key.ChannelId, ConversationId = key.ConversationId, UserId = key.UserId, TimeProvider = Time },
            withLedger ? [new AriaCallLedgerMiddleware()] : []);
        await adapter.ProcessActivityAsync(adapter.MakeActivity(text), (turn, _) => callback(turn));
    }

    /// <summary>Signs in with Aria directly and binds the session to <paramref name="key"/> (for tests about the check itself).</summary>
    public async Task<string> BindDirectlyAsync(BindingKey key, string userId = "alice", string password = "alice-demo-1")
    {
        var aria = Services.GetRequiredService<IAriaClient>();
        var session = await aria.SetSessionAuthAsync(new SetSessionAuthMRequest { UserId = userId, Password = password });
        Assert.True(session.IsSuccess, $"test setup: set_session_auth_m for {userId} failed: {session.Error}");
        var sessionId = session.Value!.SessionId!;
        var validation = await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = sessionId });
        Assert.True(validation.IsSuccess, $"test setup: validate_session_m for {userId} failed: {validation.Error}");
        await Bindings.BindAsync(key, new SessionBinding
        {
            AriaSessionId = sessionId,
            AccountNo = validation.Value!.AccountNo!.Value,
            AriaUserId = validation.Value.UserId!,
            BoundAt = Time.GetUtcNow(),
            Ingress = key.Ingress,
            // Created just now, as the sign-in page's session is: no keep-alive is due until AriaSession:KeepAliveAfter.
            ExtendedAt = Time.GetUtcNow(),
        });
        return sessionId;
    }

    /// <summary>A fresh Aria session (as the portal would hold one).</summary>
    public async Task<string> OpenAriaSessionAsync(string userId = "alice", string password = "alice-demo-1")
    {
        var session = await Services.GetRequiredService<IAriaClient>().SetSessionAuthAsync(new SetSessionAuthMRequest { UserId = userId, Password = password });
        return session.Value!.SessionId!;
    }

    public bool IsSessionLive(string sessionId) =>
        Sandbox.Read(s => s.Sessions.Any(session => session.SessionId == sessionId && !session.Killed && session.ExpiresAt > Time.GetUtcNow()));

    /// <summary>The sign-in link in the bot's card (the openUrl button).</summary>
    public static Uri LinkIn(Activity? reply)
    {
        Assert.NotNull(reply);
        var card = Assert.Single(reply.Attachments ?? []);
        Assert.Equal(ContentTypes.HeroCard, card.ContentType);
        var hero = card.ContentAs<HeroCard>()!;
        var button = Assert.Single(hero.Buttons ?? []);
        Assert.Equal("openUrl", button.Type);
        return new Uri(button.Value!.Value.GetString()!);
    }

    public static string StateOf(Uri link) => Regex.Match(link.Query, "state=([^&]+)").Groups[1].Value;

    // ---- the page, as a browser uses it ----

    public sealed record Page(HttpStatusCode Status, string Html, HttpResponseMessage Response)
    {
        public string? Field(string name)
        {
            var match = Regex.Match(Html, $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\">");
            return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
        }

        public string? Token => Field("__RequestVerificationToken");

        /// <summary>The page with HTML entities decoded (the encoder writes an apostrophe as <c>&amp;#x27;</c>).</summary>
        public string Text => WebUtility.HtmlDecode(Html);

        /// <summary>The 6-digit code the page shows, digits only.</summary>
        public string? Code
        {
            get
            {
                var match = Regex.Match(Html, "<p class=\"code\">(\\d{3}) (\\d{3})</p>");
                return match.Success ? match.Groups[1].Value + match.Groups[2].Value : null;
            }
        }
    }

    public static async Task<Page> GetAsync(HttpClient browser, Uri link)
    {
        var response = await browser.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static async Task<Page> PostAsync(HttpClient browser, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        var response = await browser.PostAsync(new Uri("/signin", UriKind.Relative), content);
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Opens the link, fills in the form and submits it.</summary>
    public static async Task<Page> SignInOnPageAsync(HttpClient browser, Uri link, string userId = "alice", string password = "alice-demo-1")
    {
        var form = await GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await PostAsync(browser, FormFields(form, userId, password));
    }

    public static Dictionary<string, string> FormFields(Page form, string userId, string password) => new()
    {
        ["state"] = form.Field("state")!,
        ["__RequestVerificationToken"] = form.Token!,
        ["userId"] = userId,
        ["password"] = password,
    };

    /// <summary>Begins sign-in in <paramref name="chat"/> and returns the link from the card.</summary>
    public static async Task<Uri> BeginAsync(DialogTestClient chat, string text = "sign in")
    {
        var reply = await chat.SendActivityAsync(text);
        return LinkIn(reply);
    }

    public IReadOnlyList<string> Texts(DialogTestClient chat, Activity? first)
    {
        List<string> texts = [];
        for (var reply = first; reply is not null; reply = chat.GetNextReply())
        {
            texts.Add(reply.Text ?? string.Empty);
        }
        return texts;
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>A conversation with the whole assistant (its bot and middleware from this host), as a channel would hold it.</summary>
    public AssistantConversation Conversation(string userId = "user1", string conversationId = "convo1", string channelId = Channels.Webchat, string locale = "en-US",
        string? conversationType = null, bool? isGroup = null) =>
        new(this, new TestAdapterOptions
        {
            UserId = userId,
            ConversationId = conversationId,
            ChannelId = channelId,
            Locale = locale,
            ConversationType = conversationType,
            IsGroup = isGroup,
            TimeProvider = Time,
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
