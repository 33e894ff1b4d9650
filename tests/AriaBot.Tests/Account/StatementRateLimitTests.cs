using System.Net;

namespace AriaBot.Tests.Account;

/// <summary>The statement page counts every request per client address (issue 16's leftover): guessing links is slowed down.</summary>
public sealed class StatementRateLimitTests
{
    [Fact]
    public async Task Past_the_limit_the_page_answers_429_with_Retry_After_and_spends_nothing()
    {
        await using var host = new AssistantTestHost(new() { ["Statements:RequestsPerIp"] = "3", ["Statements:RequestsPerIpWindow"] = "00:01:00" });
        var browser = host.NewBrowser();
        var guess = new Uri("/statement?s=" + new string('A', 43), UriKind.Relative);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Gone, (await browser.GetAsync(guess)).StatusCode);
        }
        var limited = await browser.GetAsync(guess);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("too many requests from your connection", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var post = new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = new string('A', 43) });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.PostAsync(new Uri("/statement", UriKind.Relative), post)).StatusCode);

        // The window passes: the page answers again.
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Gone, (await browser.GetAsync(guess)).StatusCode);
    }
}
