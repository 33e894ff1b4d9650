using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BotRuntime.Dialogs;
using BotRuntime.Schema;

namespace AriaBot.Tests.SignIn;

/// <summary>The sign-in page through the real HTTP pipeline: headers, antiforgery, identical failures, bad input, limits.</summary>
public sealed partial class SignInPageTests
{
    private const string Csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    [Fact]
    public async Task Every_answer_has_no_store_a_strict_CSP_nosniff_and_no_referrer()
    {
        await using var host = new SignInTestHost();
        var chat = host.Chat();
        var link = await SignInTestHost.BeginAsync(chat);

        var form = await SignInTestHost.GetAsync(host.Client, link);
        AssertSecurityHeaders(form.Response);
        Assert.Equal("text/html", form.Response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<form method=\"post\" action=\"/signin\">", form.Text, StringComparison.Ordinal);
        Assert.Contains("type=\"password\" autocomplete=\"current-password\"", form.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", form.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", form.Html, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(form.Token);
        Assert.Contains(form.Response.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith(".AriaBot.SignIn.Antiforgery=", StringComparison.Ordinal)
            && cookie.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase) && cookie.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        var wrong = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "wrong"));
        AssertSecurityHeaders(wrong.Response);
        var code = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(wrong, "alice", "alice-demo-1"));
        AssertSecurityHeaders(code.Response);
        Assert.NotNull(code.Code);
        var used = await SignInTestHost.GetAsync(host.Client, link);
        AssertSecurityHeaders(used.Response);

        var css = await host.Client.GetAsync(new Uri("/signin/signin.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_or_cookie_is_refused_with_a_plain_page()
    {
        await using var host = new SignInTestHost();
        var link = await SignInTestHost.BeginAsync(host.Chat());
        var form = await SignInTestHost.GetAsync(host.Client, link);

        var noToken = SignInTestHost.FormFields(form, "alice", "alice-demo-1");
        noToken.Remove("__RequestVerificationToken");
        var refused = await SignInTestHost.PostAsync(host.Client, noToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        AssertSecurityHeaders(refused.Response);
        Assert.Contains("Something went wrong with the form.", refused.Text, StringComparison.Ordinal);

        // A token without its cookie (another browser, a cross-site post) is refused too.
        using var otherBrowser = host.NewBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInTestHost.PostAsync(otherBrowser, SignInTestHost.FormFields(form, "alice", "alice-demo-1"))).Status);
        Assert.Equal(0, host.Sandbox.Calls.Count("set_session_auth_m"));

        // The link is still good for the real form.
        Assert.NotNull((await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "alice-demo-1"))).Code);
    }

    [Fact]
    public async Task An_unknown_user_id_and_a_wrong_password_get_the_same_answer_after_the_same_work()
    {
        await using var host = new SignInTestHost();
        var link = await SignInTestHost.BeginAsync(host.Chat());
        var form = await SignInTestHost.GetAsync(host.Client, link);

        var unknown = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "nobody-here", "whatever-1"));
        var wrongPassword = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "whatever-1"));

        Assert.Equal(unknown.Status, wrongPassword.Status);
        Assert.Equal(Normalised(unknown.Html), Normalised(wrongPassword.Html));
        Assert.Contains("That user ID and password don't match. Please try again.", unknown.Text, StringComparison.Ordinal);
        Assert.Equal(unknown.Response.Headers.Select(h => h.Key).Order(), wrongPassword.Response.Headers.Select(h => h.Key).Order());
        // Both asked Aria (the sandbox tells them apart: 1009 and its wrong-password code); the page does not.
        var signIns = host.Sandbox.Calls.All.Where(c => c.RestCall == "set_session_auth_m").Select(c => c.ErrorCode).ToList();
        Assert.Equal(2, signIns.Count);
        Assert.DoesNotContain(0, signIns);
        Assert.Equal(2, signIns.Distinct().Count());
    }

    [Fact]
    public async Task Failed_sign_ins_are_limited_per_user_id_without_telling_whether_it_exists()
    {
        await using var host = new SignInTestHost(new() { ["SignIn:RateLimits:FailedSignInsPerUserId"] = "2" });
        var link = await SignInTestHost.BeginAsync(host.Chat());
        var form = await SignInTestHost.GetAsync(host.Client, link);

        foreach (var user in new[] { "alice", "ghost" })
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, user, "bad-1"))).Status);
            Assert.Equal(HttpStatusCode.OK, (await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, user, "bad-2"))).Status);
        }
        var calls = host.Sandbox.Calls.Count("set_session_auth_m");
        var limitedReal = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "ALICE", "alice-demo-1"));
        var limitedGhost = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "ghost", "bad-3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedReal.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedGhost.Status);
        Assert.Equal(limitedReal.Html, limitedGhost.Html);
        Assert.Contains("There have been too many sign-in attempts. Please wait a few minutes and try again.", limitedReal.Text, StringComparison.Ordinal);
        Assert.True(limitedReal.Response.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        AssertSecurityHeaders(limitedReal.Response);
        Assert.Equal(calls, host.Sandbox.Calls.Count("set_session_auth_m"));

        // Another user id is not affected, and the window passes.
        Assert.NotNull((await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "bob", "bob-demo-1"))).Code);
        var link2 = await SignInTestHost.BeginAsync(host.Chat(conversationId: "convo2"));
        host.Time.Advance(TimeSpan.FromMinutes(15));
        var form2 = await SignInTestHost.GetAsync(host.Client, link2);
        Assert.Equal(HttpStatusCode.Gone, form2.Status); // the link itself expired after 10 minutes
        var link3 = await SignInTestHost.BeginAsync(host.Chat(conversationId: "convo3"));
        Assert.NotNull((await SignInTestHost.SignInOnPageAsync(host.Client, link3)).Code);
    }

    [Fact]
    public async Task Sign_in_posts_are_limited_per_IP_address_with_a_429_page()
    {
        await using var host = new SignInTestHost(new() { ["SignIn:RateLimits:PostsPerIp"] = "3" });
        var link = await SignInTestHost.BeginAsync(host.Chat());
        var form = await SignInTestHost.GetAsync(host.Client, link);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "user" + i, "bad"))).Status);
        }
        var limited = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "alice-demo-1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Too many attempts", limited.Text, StringComparison.Ordinal);
        AssertSecurityHeaders(limited.Response);
        Assert.Equal(3, host.Sandbox.Calls.Count("set_session_auth_m"));
    }

    [Fact]
    public async Task Link_creations_are_limited_per_conversation()
    {
        await using var host = new SignInTestHost(new() { ["SignIn:RateLimits:LinksPerConversation"] = "2" });
        var chat = host.Chat();
        await SignInTestHost.BeginAsync(chat);
        var second = await SignInTestHost.BeginAsync(chat, "new link");
        var limited = await chat.SendActivityAsync("new link");
        Assert.Equal("You've asked for quite a few sign-in links just now. Please wait a few minutes and try again.", limited!.Text);
        Assert.Null(limited.Attachments);
        Assert.Equal(DialogTurnStatus.Complete, chat.DialogTurnResult!.Status);
        Assert.Null(chat.DialogTurnResult.Result);
        Assert.Equal(HttpStatusCode.OK, (await SignInTestHost.GetAsync(host.Client, second)).Status);

        // Another conversation has its own count.
        Assert.NotNull(await SignInTestHost.BeginAsync(host.Chat(conversationId: "convo2")));
    }

    [Fact]
    public async Task Code_entries_are_limited_per_conversation()
    {
        await using var host = new SignInTestHost(new() { ["SignIn:RateLimits:CodeEntriesPerConversation"] = "2" });
        var chat = host.Chat();
        var code = (await SignInTestHost.SignInOnPageAsync(host.Client, await SignInTestHost.BeginAsync(chat))).Code!;
        var wrong = code == "000000" ? "111111" : "000000";
        Assert.StartsWith("That code isn't right.", (await chat.SendActivityAsync(wrong))!.Text, StringComparison.Ordinal);
        Assert.StartsWith("That code isn't right.", (await chat.SendActivityAsync(wrong))!.Text, StringComparison.Ordinal);
        Assert.Equal("That's a lot of codes in a short time. Please wait a few minutes before trying again.", (await chat.SendActivityAsync(code))!.Text);
        Assert.Null(await host.Bindings.GetAsync(new AriaBot.Session.BindingKey(Channels.Webchat, "convo1", "user1")));
        Assert.Equal(0, host.Sandbox.Calls.Count("validate_session_m"));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_page_never_a_stack_trace()
    {
        await using var host = new SignInTestHost();
        var link = await SignInTestHost.BeginAsync(host.Chat());
        var form = await SignInTestHost.GetAsync(host.Client, link);

        // No state, a made-up state, a repeated state.
        foreach (var path in new[] { "/signin", "/signin?state=", "/signin?state=abc", "/signin?state=" + new string('A', 43), $"/signin?state={SignInTestHost.StateOf(link)}&state=x", "/signin?state=%00%FF" })
        {
            var page = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            AssertSecurityHeaders(page);
            AssertPlainPage(await page.Content.ReadAsStringAsync());
        }

        // Missing fields re-show the form.
        var missing = SignInTestHost.FormFields(form, "alice", "");
        var missingPage = await SignInTestHost.PostAsync(host.Client, missing);
        Assert.Equal(HttpStatusCode.BadRequest, missingPage.Status);
        Assert.Contains("Please enter your user ID and your password.", missingPage.Text, StringComparison.Ordinal);
        Assert.NotNull(missingPage.Token);

        // Missing state.
        var noState = SignInTestHost.FormFields(form, "alice", "alice-demo-1");
        noState.Remove("state");
        Assert.Equal(HttpStatusCode.Gone, (await SignInTestHost.PostAsync(host.Client, noState)).Status);

        // JSON instead of a form; no body; a huge body; a huge field; binary garbage.
        var bodies = new List<HttpContent>
        {
            new StringContent("{\"userId\":\"alice\"}", Encoding.UTF8, "application/json"),
            new ByteArrayContent([]),
            new StringContent("userId=" + new string('a', 100_000) + "&password=x", Encoding.ASCII, "application/x-www-form-urlencoded"),
            new StringContent("userId=%zz%&&&=&password", Encoding.ASCII, "application/x-www-form-urlencoded"),
            new ByteArrayContent(Enumerable.Range(0, 3000).Select(i => (byte)(i * 37)).ToArray()),
        };
        ((ByteArrayContent)bodies[4]).Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
        foreach (var body in bodies)
        {
            var response = await host.Client.PostAsync(new Uri("/signin", UriKind.Relative), body);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Gone, $"{response.StatusCode}");
            AssertPlainPage(await response.Content.ReadAsStringAsync());
            body.Dispose();
        }

        // Absurdly long credentials are turned down without asking Aria.
        var longest = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, new string('u', 500), "x"));
        Assert.Equal(HttpStatusCode.OK, longest.Status);
        Assert.Contains("That user ID and password don't match.", longest.Text, StringComparison.Ordinal);
        Assert.Equal(0, host.Sandbox.Calls.Count("set_session_auth_m"));

        // After all that, the link still works.
        Assert.NotNull((await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "alice-demo-1"))).Code);
    }

    [Fact]
    public async Task Aria_down_is_not_a_wrong_password()
    {
        await using var host = new SignInTestHost();
        var link = await SignInTestHost.BeginAsync(host.Chat());
        var form = await SignInTestHost.GetAsync(host.Client, link);
        host.Sandbox.Faults.HttpStatusNext("set_session_auth_m", 503, 10);
        var page = await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "alice-demo-1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
        Assert.Contains("We can't sign you in right now. Please try again in a few minutes.", page.Text, StringComparison.Ordinal);
        host.Sandbox.Faults.Clear();
        Assert.NotNull((await SignInTestHost.PostAsync(host.Client, SignInTestHost.FormFields(form, "alice", "alice-demo-1"))).Code);
    }

    [Fact]
    public async Task Without_a_conversation_locale_the_page_follows_the_browser()
    {
        await using var host = new SignInTestHost();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/signin?state=nope", UriKind.Relative));
        request.Headers.AcceptLanguage.ParseAdd("es-ES,es;q=0.9,en;q=0.5");
        var response = await host.Client.SendAsync(request);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"es-ES\">", html, StringComparison.Ordinal);
        Assert.Contains("Este enlace para iniciar sesión ha caducado o ya se ha usado.", html, StringComparison.Ordinal);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.True(response.Headers.CacheControl!.NoStore, "Cache-Control: no-store");
        Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    private static void AssertPlainPage(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
    }

    /// <summary>The page with the per-request antiforgery token taken out.</summary>
    private static string Normalised(string html) => TokenValue().Replace(html, "value=\"TOKEN\"");

    [GeneratedRegex("(?<=name=\"__RequestVerificationToken\" )value=\"[^\"]*\"")]
    private static partial Regex TokenValue();
}
