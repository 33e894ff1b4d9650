using AriaBot.Tests.Privacy;
using BotRuntime.Testing;

namespace AriaBot.Tests.Teams;

/// <summary>
/// Invariant 4 on the Teams path: a password and the sign-in code typed into a Teams chat (and the card records the
/// Teams guard keeps) end up in no log line and no stored item. Teams keeps its own history; the bot keeps nothing.
/// </summary>
public sealed class TeamsPrivacyTests
{
    private const string Personal = "a:1personal-chat-with-ana";
    private const string Password = "Hunter2-Secret!";

    [Fact]
    public async Task A_password_and_the_sign_in_code_typed_in_Teams_are_stored_and_logged_nowhere()
    {
        await using var teams = await TeamsChat.StartAsync();
        var warned = await teams.SayAsync(teams.Message($"my password is {Password}", Personal));
        Assert.DoesNotContain(Password, TeamsChat.Texts(warned), StringComparison.Ordinal);

        var asked = await teams.SayAsync(teams.Message("switch my plan", Personal));
        var link = AssistantTestHost.LinkIn(asked.Single(reply => reply.Attachments is { Count: > 0 }));
        var code = (await AssistantTestHost.SignInOnPageAsync(teams.Host.NewBrowser(), link)).Code!;
        await teams.SayAsync(teams.Message(code, Personal));
        // Signed in by that code: the plan question came next, with its choices.
        var previewReplies = await teams.SayAsync(teams.Message("Premium", Personal));
        Assert.Contains("Switch from Standard to Premium", TeamsChat.Texts(previewReplies), StringComparison.Ordinal);
        Assert.NotEmpty(await teams.Host.Storage.ReadPrefixAsync("teams-cards/", 10));

        var logs = string.Join("\n", teams.Host.Logs.GetSnapshot().Select(DirectLineEchoRedactionTests.Everything));
        var stored = await StoredText.AllAsync(teams.Host.Storage);
        foreach (var (where, text) in new[] { ("the log", logs), ("the store", stored) })
        {
            Assert.False(text.Contains(Password, StringComparison.Ordinal), $"the password is in {where}");
            Assert.False(text.Contains(code, StringComparison.Ordinal), $"the sign-in code is in {where}");
        }
    }
}
