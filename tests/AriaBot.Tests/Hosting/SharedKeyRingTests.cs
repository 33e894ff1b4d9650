using System.Net;
using Microsoft.Data.Sqlite;

namespace AriaBot.Tests.Hosting;

/// <summary>
/// Two assistant hosts over one SQLite file (two instances behind a load balancer; a host started after the first is
/// gone: a restart): the sign-in page served by one, with its antiforgery cookie and token, is accepted when the form
/// is posted to the other, because the Data Protection key ring lives in the state store.
/// </summary>
public sealed class SharedKeyRingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ariabot-keyring-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string?> OnTheSameFile() => new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = Path.Combine(_folder, "bot.db") };

    [Fact]
    public async Task A_sign_in_form_served_by_one_instance_is_accepted_by_another()
    {
        await using var first = new AssistantTestHost(OnTheSameFile());
        var (form, cookie) = await OpenFormAsync(first);

        await using var second = new AssistantTestHost(OnTheSameFile());
        var page = await PostWithCookieAsync(second, form, cookie);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Code);
    }

    [Fact]
    public async Task A_sign_in_form_served_before_a_restart_is_accepted_after_it()
    {
        AssistantTestHost.Page form;
        string cookie;
        await using (var before = new AssistantTestHost(OnTheSameFile()))
        {
            (form, cookie) = await OpenFormAsync(before);
        }

        await using var after = new AssistantTestHost(OnTheSameFile());
        var page = await PostWithCookieAsync(after, form, cookie);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Code);
    }

    [Fact]
    public async Task Another_deployments_key_ring_refuses_the_form()
    {
        await using var first = new AssistantTestHost(OnTheSameFile());
        var (form, cookie) = await OpenFormAsync(first);

        var stranger = OnTheSameFile();
        stranger["DataProtection:ApplicationName"] = "SomeOtherBot";
        await using var second = new AssistantTestHost(stranger);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithCookieAsync(second, form, cookie)).Status);
    }

    private static async Task<(AssistantTestHost.Page Form, string Cookie)> OpenFormAsync(AssistantTestHost host)
    {
        var link = await AssistantTestHost.BeginAsync(host.Chat());
        var form = await AssistantTestHost.GetAsync(host.Client, link);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var cookie = string.Join("; ", form.Response.Headers.GetValues("Set-Cookie").Select(header => header.Split(';')[0]));
        return (form, cookie);
    }

    /// <summary>A browser that the load balancer sent to <paramref name="host"/>, carrying the cookie the other instance set.</summary>
    private static async Task<AssistantTestHost.Page> PostWithCookieAsync(AssistantTestHost host, AssistantTestHost.Page form, string cookie)
    {
        using var browser = host.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/signin", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(AssistantTestHost.FormFields(form, "alice", "alice-demo-1")),
        };
        request.Headers.Add("Cookie", cookie);
        var response = await browser.SendAsync(request);
        return new AssistantTestHost.Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the temp folder is the OS's to clean.
        }
    }
}
