using System.Net;
using AriaBot.Handoff;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// Who may use the console: nobody without a session (401), nobody without the agent role (403), and after an accept
/// only the agent who took the conversation — whatever id another agent crafts. Two agents accepting at once: one
/// wins. Sign-in: cookie flags, antiforgery, same origin, lockout and the per-address limit.
/// </summary>
public sealed class ConsoleAuthorizationTests : IAsyncLifetime
{
    private AssistantTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new AssistantTestHost(AgentConsole.Settings(new() { ["Handoff:LoginAttemptsPerAddress"] = "50" }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HandoffStore Store => _host.Services.GetRequiredService<HandoffStore>();

    private async Task<string> WaitingCaseAsync(string user = "dl_customer")
    {
        var customer = await DirectLineCustomer.StartAsync(_host, user);
        Assert.Contains("connecting you with a person", await customer.SayAsync("talk to a person"), StringComparison.Ordinal);
        return (await Store.ActiveAsync(customer.ConversationKey, CancellationToken.None))!.Id;
    }

    private static IEnumerable<(HttpMethod Method, string Path)> Endpoints(string id) =>
    [
        (HttpMethod.Get, "/agent/api/me"),
        (HttpMethod.Get, "/agent/api/queue"),
        (HttpMethod.Get, "/agent/api/history"),
        (HttpMethod.Get, "/agent/api/events"),
        (HttpMethod.Get, $"/agent/api/handoffs/{id}"),
        (HttpMethod.Post, "/agent/api/logout"),
        (HttpMethod.Post, $"/agent/api/handoffs/{id}/accept"),
        (HttpMethod.Post, $"/agent/api/handoffs/{id}/messages"),
        (HttpMethod.Post, $"/agent/api/handoffs/{id}/end"),
        (HttpMethod.Post, $"/agent/api/handoffs/{id}/handback"),
    ];

    private static Task<HttpResponseMessage> CallAsync(AgentConsole console, HttpMethod method, string path) =>
        method == HttpMethod.Get ? console.GetAsync(path) : console.PostAsync(path, new { text = "hi", useCase = "SwitchPlan" });

    [Fact]
    public async Task Every_console_endpoint_answers_401_without_a_session_and_403_without_the_agent_role()
    {
        var id = await WaitingCaseAsync();
        using var anonymous = new AgentConsole(_host);
        await anonymous.RefreshTokenAsync();
        foreach (var (method, path) in Endpoints(id))
        {
            Assert.True(HttpStatusCode.Unauthorized == (await CallAsync(anonymous, method, path)).StatusCode, $"{method} {path} without a session");
        }

        using var vic = new AgentConsole(_host);
        Assert.Equal(HttpStatusCode.NoContent, (await vic.SignInAsync("vic@example.com")).StatusCode);
        foreach (var (method, path) in Endpoints(id))
        {
            Assert.True(HttpStatusCode.Forbidden == (await CallAsync(vic, method, path)).StatusCode, $"{method} {path} without the agent role");
        }
        Assert.Equal(HandoffState.Waiting, (await Store.GetAsync(id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task After_an_accept_another_agent_can_neither_read_nor_post_by_a_crafted_id()
    {
        var id = await WaitingCaseAsync();
        using var dana = new AgentConsole(_host);
        using var lee = new AgentConsole(_host);
        await dana.SignInAsync("dana@example.com");
        await lee.SignInAsync("lee@example.com");
        Assert.Single((await lee.QueueAsync()).EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync($"/agent/api/handoffs/{id}/accept")).StatusCode);

        Assert.Empty((await lee.QueueAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/agent/api/handoffs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.PostAsync($"/agent/api/handoffs/{id}/accept")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.PostAsync($"/agent/api/handoffs/{id}/messages", new { text = "I'm Dana, honest" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.PostAsync($"/agent/api/handoffs/{id}/end")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.PostAsync($"/agent/api/handoffs/{id}/handback", new { useCase = "SwitchPlan" })).StatusCode);
        // An id of the wrong shape is not even looked up.
        Assert.Equal(HttpStatusCode.NotFound, (await lee.GetAsync("/agent/api/handoffs/..%2F..%2Fsessions")).StatusCode);

        var stored = (await Store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(HandoffState.Accepted, stored.State);
        Assert.Equal("Dana", stored.AgentName);
        Assert.DoesNotContain(stored.Messages, line => line.Text.Contains("honest", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync($"/agent/api/handoffs/{id}")).StatusCode);
    }

    [Fact]
    public async Task Two_agents_accepting_at_once_have_exactly_one_winner()
    {
        using var dana = new AgentConsole(_host);
        using var lee = new AgentConsole(_host);
        await dana.SignInAsync("dana@example.com");
        await lee.SignInAsync("lee@example.com");
        for (var round = 0; round < 5; round++)
        {
            var id = await WaitingCaseAsync($"dl_race{round}");
            var answers = await Task.WhenAll(dana.PostAsync($"/agent/api/handoffs/{id}/accept"), lee.PostAsync($"/agent/api/handoffs/{id}/accept"));
            var statuses = answers.Select(answer => answer.StatusCode).Order().ToList();
            Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Forbidden], statuses);
            var stored = (await Store.GetAsync(id, CancellationToken.None))!;
            var winner = answers[0].StatusCode == HttpStatusCode.NoContent ? "Dana" : "Lee";
            Assert.Equal(winner, stored.AgentName);
            Assert.Single(stored.Messages, line => line.Text.EndsWith("accepted.", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_read_of_a_transcript_is_audited_with_the_agent()
    {
        var id = await WaitingCaseAsync();
        using var dana = new AgentConsole(_host);
        await dana.SignInAsync("dana@example.com");
        await dana.CaseAsync(id);
        await dana.CaseAsync(id);
        var views = await Store.ViewsAsync(id, CancellationToken.None);
        Assert.Equal(2, views.Count);
        Assert.All(views, view => Assert.Equal("cfg:dana@example.com", view.AgentId));
    }

    [Fact]
    public async Task The_session_cookie_is_Secure_HttpOnly_SameSite_Strict_and_posts_need_the_token_and_the_same_origin()
    {
        var id = await WaitingCaseAsync();
        using var dana = new AgentConsole(_host);
        var signedIn = await dana.SignInAsync("dana@example.com");
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), value => value.StartsWith(AgentSignIn.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.BadRequest, (await dana.PostAsync($"/agent/api/handoffs/{id}/accept", withToken: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.PostAsync($"/agent/api/handoffs/{id}/accept", site: "cross-site")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.PostAsync($"/agent/api/handoffs/{id}/accept", site: null)).StatusCode);
        Assert.Equal(HandoffState.Waiting, (await Store.GetAsync(id, CancellationToken.None))!.State);

        // Signing out ends the session on the server: a copy of the cookie is worth nothing afterwards.
        var copy = cookie.Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(copy)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync("/agent/api/logout")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await dana.GetAsync("/agent/api/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(copy)).StatusCode);
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/agent/api/queue", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task The_live_queue_streams_the_agents_queue_and_refuses_another_origin()
    {
        var id = await WaitingCaseAsync();
        using var dana = new AgentConsole(_host);
        await dana.SignInAsync("dana@example.com");

        using var crossSite = new HttpRequestMessage(HttpMethod.Get, new Uri("/agent/api/events", UriKind.Relative));
        crossSite.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.Browser.SendAsync(crossSite)).StatusCode);

        using var own = new HttpRequestMessage(HttpMethod.Get, new Uri("/agent/api/events", UriKind.Relative));
        own.Headers.Add("Origin", "https://localhost");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await dana.Browser.SendAsync(own, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("event: queue", await reader.ReadLineAsync(timeout.Token));
        var data = (await reader.ReadLineAsync(timeout.Token))!;
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        using var queue = System.Text.Json.JsonDocument.Parse(data["data: ".Length..]);
        var item = Assert.Single(queue.RootElement.EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.Equal("Waiting", item.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_login_even_for_the_right_password_and_say_nothing_about_which_logins_exist()
    {
        using var browser = new AgentConsole(_host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("nobody@example.com", "whatever")).StatusCode);
        for (var attempt = 1; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("dana@example.com", "wrong")).StatusCode);
        }
        Assert.Equal((HttpStatusCode)423, (await browser.SignInAsync("dana@example.com", "wrong")).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await browser.SignInAsync("dana@example.com")).StatusCode);

        _host.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SignInAsync("dana@example.com")).StatusCode);
        Assert.DoesNotContain(_host.Logs.GetSnapshot(), record => record.Message.Contains(AgentConsole.Password, StringComparison.Ordinal) || record.Message.Contains("wrong", StringComparison.Ordinal) && record.Message.Contains("dana", StringComparison.Ordinal));
    }

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task Sign_ins_from_one_address_are_limited()
        {
            await using var host = new AssistantTestHost(AgentConsole.Settings(new() { ["Handoff:LoginAttemptsPerAddress"] = "3" }));
            using var browser = new AgentConsole(host);
            for (var attempt = 0; attempt < 3; attempt++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync($"guess{attempt}@example.com", "x")).StatusCode);
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync("dana@example.com")).StatusCode);
        }
    }
}
