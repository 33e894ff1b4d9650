using System.Net;
using System.Text.RegularExpressions;

/// <summary>
/// Signs a bench customer in the way a person does, on the bot's own page: "sign in" in the chat, the link from the
/// card, GET the form (state + antiforgery field and cookie), POST user id and password, read the 6-digit code from
/// the page, type it in the chat. Not timed: it is the set-up before a user's flows.
/// </summary>
internal static partial class SignIn
{
    public static async Task SignInAsync(IChat chat, HttpClient client, Uri botUrl, string userId, string password, CancellationToken cancellationToken)
    {
        var card = await chat.SayAsync("sign in", cancellationToken).ConfigureAwait(false);
        var link = card.Select(reply => LinkPattern().Match(reply.Attachments)).FirstOrDefault(match => match.Success)
            ?? throw new BenchException($"sign in: no sign-in link in {Reply.Show(card)}");
        // The link points at SignIn:PublicBaseUrl; the bench talks to the address it started the bot on.
        var page = new Uri(botUrl, "/signin?state=" + link.Groups["state"].Value);
        using var get = await client.GetAsync(page, cancellationToken).ConfigureAwait(false);
        var form = await get.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (get.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"sign in: GET /signin answered {(int)get.StatusCode}");
        }
        // The sign-in form comes first; the page's second form ("Forgot your password?") repeats the same hidden fields.
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in HiddenPattern().Matches(form))
        {
            fields.TryAdd(WebUtility.HtmlDecode(match.Groups["name"].Value), WebUtility.HtmlDecode(match.Groups["value"].Value));
        }
        fields["userId"] = userId;
        fields["password"] = password;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(botUrl, "/signin")) { Content = new FormUrlEncodedContent(fields) };
        var cookies = get.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(cookie => cookie.Split(';')[0]) : [];
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        using var answer = await client.SendAsync(post, cancellationToken).ConfigureAwait(false);
        var codePage = await answer.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var code = CodePattern().Match(codePage);
        if (answer.StatusCode != HttpStatusCode.OK || !code.Success)
        {
            throw new BenchException($"sign in: POST /signin answered {(int)answer.StatusCode} without a code");
        }
        var done = await chat.SayAsync(code.Groups["a"].Value + code.Groups["b"].Value, cancellationToken).ConfigureAwait(false);
        if (!done.Any(reply => reply.Says("signed in")))
        {
            throw new BenchException($"sign in: the code was not accepted: {Reply.Show(done)}");
        }
    }

    [GeneratedRegex(@"/signin\?state=(?<state>[A-Za-z0-9_\-]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenPattern();

    [GeneratedRegex("<p class=\"code\">(?<a>[0-9]{3}) (?<b>[0-9]{3})</p>")]
    private static partial Regex CodePattern();
}
