using System.Net;
using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Account;

/// <summary>
/// Statement links: offered with the statements after the session check, single-use, spent only by the page's POST,
/// short-lived, checked against the chat's bound session again, and Aria's HTML sandboxed.
/// </summary>
public sealed class StatementLinkTests : IAsyncLifetime
{
    private const string Frank = "1000006";
    private static readonly BindingKey Chat = new(Channels.Webchat, "convo1", "user1");
    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        await _host.BindDirectlyAsync(Chat, "frank", "frank-demo-1");
        _chat = _host.Conversation();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_link_opens_the_statement_once_sandboxed_and_never_cached()
    {
        var links = await StatementLinksAsync();
        Assert.Equal(5, links.Count);
        Assert.All(links, link => Assert.DoesNotContain(Frank, link.ToString(), StringComparison.Ordinal));
        var browser = _host.NewBrowser();

        // The GET (what a link previewer does) shows a button and spends nothing.
        var page = await browser.GetAsync(links[0].PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", string.Join(",", page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_statement_for_invoice_m"));

        var statement = await PostAsync(browser, links[0]);
        Assert.Equal(HttpStatusCode.OK, statement.StatusCode);
        Assert.StartsWith("sandbox", string.Join(",", statement.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-store", statement.Headers.CacheControl!.ToString());
        Assert.Contains("<h1>Statement ", await statement.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var again = await PostAsync(browser, links[0]);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(1, _host.Sandbox.Calls.Count("get_statement_for_invoice_m"));
    }

    [Fact]
    public async Task A_link_expires()
    {
        var links = await StatementLinksAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(11)); // Statements:LinkLifetime is 10 minutes
        var response = await PostAsync(_host.NewBrowser(), links[0]);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_statement_for_invoice_m"));
    }

    [Fact]
    public async Task A_link_refuses_when_the_chat_now_holds_another_accounts_session()
    {
        var links = await StatementLinksAsync();
        // The same chat user signs in as someone else: the link was for Frank's account only.
        await _host.BindDirectlyAsync(Chat, "alice", "alice-demo-1");
        var response = await PostAsync(_host.NewBrowser(), links[0]);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_statement_for_invoice_m"));
    }

    [Fact]
    public async Task A_link_refuses_after_sign_out()
    {
        var links = await StatementLinksAsync();
        await _host.Bindings.RemoveAsync(Chat);
        var response = await PostAsync(_host.NewBrowser(), links[0]);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _host.Sandbox.Calls.Count("get_statement_for_invoice_m"));
    }

    [Fact]
    public async Task A_made_up_token_gets_the_same_answer_as_a_used_one()
    {
        var response = await _host.NewBrowser().PostAsync("/statement", new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = new string('A', 43) }));
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    private async Task<List<Uri>> StatementLinksAsync()
    {
        var replies = await _chat.SayAsync("show my statements");
        var card = replies.SelectMany(reply => reply.Attachments ?? []).Single(a => a.ContentType == ContentTypes.AdaptiveCard).Content!.Value;
        return [.. card.GetProperty("actions").EnumerateArray().Select(action => new Uri(action.GetProperty("url").GetString()!))];
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, Uri link) =>
        browser.PostAsync("/statement", new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = link.Query.Split("s=")[1] }));
}
