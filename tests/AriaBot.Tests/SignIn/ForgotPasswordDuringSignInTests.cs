using System.Net;
using System.Text.Json;
using AriaBot.Tests.Privacy;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// Issue 17's leftovers: while a sign-in waits, "I forgot my password" starts the reset (the sign-in cancelled cleanly)
/// instead of the sign-in's reminder; and the sign-in page's "Forgot your password?" button starts it in the chat the
/// link belongs to (a message with a button there), with nothing secret in a URL.
/// </summary>
public sealed class ForgotPasswordDuringSignInTests
{
    private const string AskUserId = "I can help you choose a new password. What's the user id you sign in with? (Just the user id, never your password.)";
    private const string DirectLine = "/v3/directline";

    [Fact]
    public async Task While_sign_in_waits_I_forgot_my_password_cancels_it_and_starts_the_reset()
    {
        await using var host = new AssistantTestHost();
        var chat = host.Conversation();
        var link = AssistantTestHost.LinkIn((await chat.SayAsync("sign in")).First(reply => reply.Attachments is { Count: > 0 }));

        var reset = await chat.SayAsync("I forgot my password");
        Assert.Equal([AskUserId], AssistantConversation.Texts(reset));
        // The sign-in was abandoned: its link no longer opens the page.
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(host.NewBrowser(), link)).Status);
        var sent = AssistantConversation.Texts(await chat.SayAsync("alice"));
        Assert.StartsWith("If that user id belongs to an account", sent[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_a_sign_in_the_words_are_routed_as_before()
    {
        await using var host = new AssistantTestHost();
        var chat = host.Conversation();
        Assert.Equal([AskUserId], AssistantConversation.Texts(await chat.SayAsync("I forgot my password")));
    }

    [Fact]
    public async Task The_sign_in_pages_button_starts_the_reset_in_the_links_own_Direct_Line_chat()
    {
        await using var host = new AssistantTestHost();
        var generated = await DirectLineHttp.Json(await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/tokens/generate", AssistantTestHost.DirectLineSecret,
            new { user = new { id = "dl_forgot-test", name = "Ana" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await DirectLineHttp.SendAsync(host, HttpMethod.Post, $"{DirectLine}/conversations", token)).StatusCode);
        await DirectLineEchoRedactionTests.PostAsync(host, token, conversationId, "sign in");
        var link = LinkIn(await DirectLineEchoRedactionTests.ReadAllAsync(host, token, conversationId));

        var browser = host.NewBrowser();
        var page = await AssistantTestHost.GetAsync(browser, link);
        Assert.Contains("action=\"/signin/forgot-password\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("forgot-password?", page.Html, StringComparison.Ordinal);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = page.Field("state")!, ["__RequestVerificationToken"] = page.Token! });
        var pressed = await browser.PostAsync(new Uri("/signin/forgot-password", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        Assert.Contains("Back to the chat", await pressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-store", pressed.Headers.CacheControl!.ToString());

        // The chat got a message with the button; pressing it (its text) starts the reset there.
        var told = (await DirectLineEchoRedactionTests.ReadAllAsync(host, token, conversationId)).EnumerateArray()
            .Last(a => a.TryGetProperty("text", out var text) && text.GetString()!.StartsWith("You asked on the sign-in page", StringComparison.Ordinal));
        var button = told.GetProperty("suggestedActions").GetProperty("actions")[0];
        Assert.Equal("Reset my password", button.GetProperty("title").GetString());
        var answer = await DirectLineEchoRedactionTests.ConverseAsync(host, token, conversationId, button.GetProperty("value").GetString()!);
        Assert.Equal(AskUserId, answer);
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(host.NewBrowser(), link)).Status);
    }

    [Fact]
    public async Task The_button_without_the_pages_antiforgery_token_is_refused_and_tells_no_chat()
    {
        await using var host = new AssistantTestHost();
        var chat = host.Conversation();
        var link = AssistantTestHost.LinkIn((await chat.SayAsync("sign in")).First(reply => reply.Attachments is { Count: > 0 }));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = AssistantTestHost.StateOf(link) });
        var forged = await host.NewBrowser().PostAsync(new Uri("/signin/forgot-password", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    private static Uri LinkIn(JsonElement activities)
    {
        var card = activities.EnumerateArray().Last(a => a.TryGetProperty("attachments", out _)).GetProperty("attachments")[0];
        return new Uri(card.GetProperty("content").GetProperty("buttons")[0].GetProperty("value").GetString()!);
    }
}
