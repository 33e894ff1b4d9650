using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AriaBot.Tests.Web;

/// <summary>
/// The demo portal's login is a server-side record named by the encrypted cookie: signing out deletes the record,
/// so a copy of the cookie taken before (another tab, a stolen cookie) is no login afterwards.
/// </summary>
public sealed class PortalLoginRevocationTests
{
    private static readonly Uri Me = new("/portal/me", UriKind.Relative);
    private static readonly Uri DemoSignIn = new("/portal/demo-sign-in", UriKind.Relative);
    private static readonly Uri SignOut = new("/portal/sign-out", UriKind.Relative);
    private static readonly Uri ChatToken = new("/portal/chat-token", UriKind.Relative);

    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_refused_afterwards()
    {
        var sink = new RecordingSink();
        await using var factory = WebHost.Create(sink: sink);
        using var browser = factory.PageClient();
        var signIn = await browser.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';')[0];

        using var copy = factory.PageClient();
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        // Before the sign-out the copy is as good as the original (that is what a cookie is).
        Assert.True(await SignedInAsync(copy));
        Assert.Equal(HttpStatusCode.OK, (await copy.PostAsync(ChatToken, null)).StatusCode);
        Assert.Single(sink.Requests);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync(SignOut, null)).StatusCode);

        Assert.False(await SignedInAsync(copy));
        var token = await copy.PostAsync(ChatToken, null);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        // A chat token, but a signed-out one: nothing was bound to an Aria session.
        Assert.Single(sink.Requests);
    }

    [Fact]
    public async Task Signing_in_again_makes_a_new_login_and_the_old_cookie_stays_dead()
    {
        await using var factory = WebHost.Create(sink: new RecordingSink());
        using var browser = factory.PageClient();
        var first = Assert.Single((await browser.PostAsJsonAsync(DemoSignIn, new { userId = "alice" })).Headers.GetValues("Set-Cookie")).Split(';')[0];
        await browser.PostAsync(SignOut, null);
        await browser.PostAsJsonAsync(DemoSignIn, new { userId = "alice" });
        Assert.True(await SignedInAsync(browser));

        using var old = factory.PageClient();
        old.DefaultRequestHeaders.Add("Cookie", first);
        Assert.False(await SignedInAsync(old));
    }

    private static async Task<bool> SignedInAsync(HttpClient client)
    {
        using var me = JsonDocument.Parse(await client.GetStringAsync(Me));
        return me.RootElement.GetProperty("signedIn").GetBoolean();
    }
}
