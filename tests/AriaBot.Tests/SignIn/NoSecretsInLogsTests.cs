using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// Invariant 4 (docs/invariants.md): every sign-in and binding flow runs with every log line captured at Trace, and no line
/// (message, structured values, scopes, exceptions) holds a password, a code, a link state or an Aria session id.
/// </summary>
public sealed class NoSecretsInLogsTests
{
    private const string WrongPassword = "Wr0ng-Pa55word!";

    [Fact]
    public async Task Passwords_codes_states_and_session_ids_never_reach_a_log_line()
    {
        await using var host = new AssistantTestHost();
        List<string> secrets = [WrongPassword, "alice-demo-1", "bob-demo-1"];

        // Sign-in by link and code, with a wrong password and a wrong code on the way.
        var chat = host.Chat();
        var link = await AssistantTestHost.BeginAsync(chat);
        secrets.Add(AssistantTestHost.StateOf(link));
        var form = await AssistantTestHost.GetAsync(host.Client, link);
        await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", WrongPassword));
        await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "nobody", WrongPassword));
        var code = (await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "alice-demo-1"))).Code!;
        secrets.Add(code);
        var wrongCode = code == "000000" ? "111111" : "000000";
        secrets.Add(wrongCode);
        await chat.SendActivityAsync(wrongCode);
        await chat.SendActivityAsync($"{code[..3]} {code[3..]}");
        Assert.NotNull(await host.Bindings.GetAsync(new BindingKey(Channels.Webchat, "convo1", "user1")));

        // A second sign-in that burns its code, and one whose code expires.
        var burned = host.Chat(conversationId: "convo2");
        var burnedLink = await AssistantTestHost.BeginAsync(burned);
        secrets.Add(AssistantTestHost.StateOf(burnedLink));
        secrets.Add((await AssistantTestHost.SignInOnPageAsync(host.Client, burnedLink, "bob", "bob-demo-1")).Code!);
        for (var i = 0; i < 3; i++)
        {
            await burned.SendActivityAsync("99999" + i);
        }
        var late = host.Chat(conversationId: "convo3");
        var lateLink = await AssistantTestHost.BeginAsync(late);
        secrets.Add(AssistantTestHost.StateOf(lateLink));
        var lateCode = (await AssistantTestHost.SignInOnPageAsync(host.Client, lateLink)).Code!;
        secrets.Add(lateCode);
        host.Time.Advance(TimeSpan.FromMinutes(6));
        await late.SendActivityAsync(lateCode);

        // Portal bindings, both modes, including a rejected one.
        var portalSession = await host.OpenAriaSessionAsync();
        await PostJsonAsync(host, "/v3/directline/tokens/generate", AssistantTestHost.DirectLineSecret, new { binding = new { ariaSessionId = portalSession } });
        await PostJsonAsync(host, "/api/session-bindings", AssistantTestHost.BindingSecret, new { userId = "dl_azure-1", binding = new { ariaSessionId = portalSession } });
        await PostJsonAsync(host, "/v3/directline/tokens/generate", AssistantTestHost.DirectLineSecret, new { binding = new { ariaSessionId = "made-up-session-0123456789" } });
        secrets.Add("made-up-session-0123456789");

        // Sign out.
        await host.RunTurnAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), turn => host.AccountSession.SignOutAsync(turn, CancellationToken.None));

        secrets.AddRange(host.Sandbox.Read(s => s.Sessions.Select(session => session.SessionId).ToList()));
        Assert.True(secrets.Count > 12);
        var records = host.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.Contains(records, r => r.Message.Contains("code accepted", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var line = Everything(record);
            foreach (var secret in secrets)
            {
                // Standing alone: a 6-digit code may occur by chance inside a trace id's hex digits.
                Assert.False(Regex.IsMatch(line, $"(?<![A-Za-z0-9]){Regex.Escape(secret)}(?![A-Za-z0-9])"), $"A log line of {record.Category} holds a secret: {line}");
            }
        }
    }

    private static string Everything(FakeLogRecord record)
    {
        var text = new StringBuilder(record.Category).Append('|').Append(record.Message);
        foreach (var pair in record.StructuredState ?? [])
        {
            text.Append('|').Append(pair.Key).Append('=').Append(pair.Value);
        }
        foreach (var scope in record.Scopes)
        {
            text.Append('|').Append(scope is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(",", pairs.Select(p => $"{p.Key}={p.Value}")) : scope?.ToString());
        }
        return text.Append('|').Append(record.Exception?.ToString()).ToString();
    }

    private static async Task PostJsonAsync(AssistantTestHost host, string path, string bearer, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await host.Client.SendAsync(request);
    }
}
