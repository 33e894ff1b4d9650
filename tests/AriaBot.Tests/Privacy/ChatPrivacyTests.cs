using AriaBot.Privacy;
using AriaBot.Transcripts;
using BotRuntime.Privacy;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Privacy;

public sealed class ChatPrivacyTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly StorageTranscriptStore _transcripts;

    public ChatPrivacyTests() =>
        _transcripts = new StorageTranscriptStore(new MemoryStorage(_clock), Options.Create(new TranscriptOptions()), _clock);

    private TestAdapter Adapter() => new(new TestAdapterOptions { TimeProvider = _clock }, new ChatPrivacyMiddleware(), new TranscriptMiddleware(_transcripts, _clock));

    [Fact]
    public async Task A_card_number_typed_in_chat_never_reaches_the_bot_the_transcript_or_a_reply()
    {
        string? seen = null;
        bool flagged = false;
        await new TestFlow(Adapter(), async (turn, token) =>
            {
                seen = turn.Activity.Text;
                flagged = ChatPrivacyMiddleware.SensitiveInputDetected(turn);
                await turn.SendActivityAsync($"you said: {turn.Activity.Text}", cancellationToken: token);
            })
            .Send("my card is 4111 1111 1111 1111 exp 12/29")
            .AssertReply(reply => Assert.DoesNotContain("4111", reply.Text, StringComparison.Ordinal))
            .StartTestAsync();

        Assert.True(flagged);
        Assert.DoesNotContain("4111", seen, StringComparison.Ordinal);
        var transcript = await _transcripts.ReadAsync("test/convo1");
        Assert.Equal(["user", "bot"], transcript.Select(line => line.Role));
        Assert.All(transcript, line => Assert.DoesNotContain("1111", line.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_Direct_Line_already_stored_redacted_still_gets_the_warning()
    {
        var flagged = false;
        await new TestFlow(Adapter(), (turn, token) =>
            {
                flagged = ChatPrivacyMiddleware.SensitiveInputDetected(turn);
                return Task.CompletedTask;
            })
            .Send("my card is [card number removed]")
            .StartTestAsync();
        Assert.True(flagged);
    }

    [Fact]
    public async Task A_password_typed_in_chat_is_removed_and_flagged()
    {
        string? seen = null;
        bool flagged = false;
        await new TestFlow(Adapter(), (turn, token) =>
            {
                seen = turn.Activity.Text;
                flagged = ChatPrivacyMiddleware.SensitiveInputDetected(turn);
                return Task.CompletedTask;
            })
            .Send("my password is Hunter2!Secret")
            .StartTestAsync();
        Assert.True(flagged);
        Assert.DoesNotContain("Hunter2", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2", (await _transcripts.ReadAsync("test/convo1")).Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ordinary_messages_pass_untouched_and_are_recorded_in_order()
    {
        await new TestFlow(Adapter(), async (turn, token) => await turn.SendActivityAsync("sure", cancellationToken: token))
            .Send("switch me to premium with 3 seats, order 12345")
            .AssertReply("sure")
            .StartTestAsync();
        var transcript = await _transcripts.ReadAsync("test/convo1");
        Assert.Equal("switch me to premium with 3 seats, order 12345", transcript[0].Text);
        Assert.Equal("sure", transcript[1].Text);
    }

    [Fact]
    public async Task A_value_the_turn_marks_secret_is_redacted_from_the_transcript()
    {
        await new TestFlow(Adapter(), (turn, token) =>
            {
                TurnSecrets.MarkIncomingText(turn); // as the sign-in dialog does with a typed code
                return Task.CompletedTask;
            })
            .Send("482 913")
            .StartTestAsync();
        Assert.DoesNotContain("482", (await _transcripts.ReadAsync("test/convo1")).Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcripts_expire_after_the_retention_period()
    {
        await new TestFlow(Adapter(), (turn, token) => Task.CompletedTask).Send("hello").StartTestAsync();
        _clock.Advance(new TranscriptOptions().Retention + TimeSpan.FromMinutes(1));
        Assert.Empty(await _transcripts.ReadAsync("test/convo1"));
    }
}
