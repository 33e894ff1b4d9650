using BotRuntime.Schema;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// A customer who signed in on the page but never typed the code leaves an Aria session nobody can use. A background
/// sweep on the host's clock ends it (<c>kill_session_m</c>) once the code has expired, and forgets its id.
/// </summary>
public sealed class AbandonedSignInSweepTests
{
    [Fact]
    public async Task The_session_of_a_code_never_typed_is_ended_once_the_code_expires()
    {
        await using var host = new AssistantTestHost();
        var chat = host.Chat();
        var link = await AssistantTestHost.BeginAsync(chat);
        var page = await AssistantTestHost.SignInOnPageAsync(host.Client, link);
        Assert.NotNull(page.Code);
        var sessionId = host.Sandbox.Read(state => state.Sessions.Single().SessionId);
        Assert.True(host.IsSessionLive(sessionId));

        // Before the code expires nothing happens: the customer may still type it.
        host.Time.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(100);
        Assert.Equal(0, host.Sandbox.Calls.Count("kill_session_m"));

        // Past the code's 5 minutes and a sweep interval; well within the sandbox's 30-minute session.
        host.Time.Advance(TimeSpan.FromMinutes(3));
        await WaitUntilAsync(() => host.Sandbox.Calls.Count("kill_session_m") == 1);
        Assert.False(host.IsSessionLive(sessionId));
        var records = await host.Storage.ReadPrefixAsync("signin/links/", 100);
        Assert.DoesNotContain(records, record => record.Value.Document.ToString().Contains(sessionId, StringComparison.Ordinal));

        // A late code is still told it expired (and nothing is ended twice).
        var late = await chat.SendActivityAsync(page.Code!);
        Assert.Contains("expired", late!.Text, StringComparison.OrdinalIgnoreCase);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(100);
        Assert.Equal(1, host.Sandbox.Calls.Count("kill_session_m"));
        Assert.Null(await host.Bindings.GetAsync(new AriaBot.Session.BindingKey(Channels.Webchat, "convo1", "user1")));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), "timed out waiting for the condition");
    }
}
