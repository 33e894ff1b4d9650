using AriaBot.PasswordReset;
using AriaBot.Privacy;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Tests.PasswordReset;

/// <summary>
/// Invariant 4 for the reset's code: typed into our own web chat by mistake while a reset is pending, the Direct Line
/// echo is stored redacted (the same hook as sign-in's code); with no reset pending, digits are left alone.
/// </summary>
public sealed class ResetCodeEchoRedactionTests
{
    private static Activity Typed(string text) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = Channels.DirectLine,
        Conversation = new ConversationAccount { Id = "conv-1" },
        From = new ChannelAccount { Id = "dl_user-1", Role = RoleTypes.User },
        Text = text,
    };

    [Fact]
    public async Task A_code_typed_while_a_reset_is_pending_is_stored_redacted_and_not_otherwise()
    {
        var storage = new MemoryStorage();
        var redactor = new AriaIncomingActivityRedactor(storage);
        const string typed = "my code is 4821 9035";

        var before = await redactor.RedactAsync(Typed(typed), IncomingRedactionReason.Incoming, CancellationToken.None);
        Assert.True(before is null || before.Text == typed);

        var key = new BindingKey(Channels.DirectLine, "conv-1", "dl_user-1", TurnIngress.DirectLine);
        await storage.WriteAsync(PasswordResets.PendingKey(key), new AriaBot.SignIn.VerificationCodes.PendingVerification { LinkHash = "abc" }, StoreWrite.AnyETag);
        var during = await redactor.RedactAsync(Typed(typed), IncomingRedactionReason.Incoming, CancellationToken.None);
        Assert.NotNull(during);
        Assert.DoesNotContain("4821", during.Text, StringComparison.Ordinal);
    }
}
