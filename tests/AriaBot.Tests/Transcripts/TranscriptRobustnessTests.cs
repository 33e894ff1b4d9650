using AriaBot.Transcripts;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Transcripts;

/// <summary>
/// Finding 5: the transcript is written after the bot has answered, inside the state middleware; a record it could
/// not write (a null attachment, a storage error) threw there, and the turn's dialog state was never saved.
/// </summary>
public sealed class TranscriptRobustnessTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly MemoryStorage _storage;
    private readonly ConversationState _state;

    public TranscriptRobustnessTests()
    {
        _storage = new MemoryStorage(_clock);
        _state = new ConversationState(_storage);
    }

    private TestAdapter Adapter(ITranscriptStore transcripts) =>
        new(new TestAdapterOptions { TimeProvider = _clock }, new AutoSaveStateMiddleware(_state), new TranscriptMiddleware(transcripts, _clock));

    /// <summary>One turn that moves the dialog on (a counter in conversation state) and answers.</summary>
    private async Task TurnAsync(TestAdapter adapter, Activity activity)
    {
        var step = _state.CreateProperty<int>("step");
        await adapter.ProcessActivityAsync(activity, async (turn, token) =>
        {
            await step.SetAsync(turn, await step.GetAsync(turn, () => 0, token) + 1, token);
            await turn.SendActivityAsync("answered", cancellationToken: token);
        });
    }

    private async Task<int> StepAsync(TestAdapter adapter)
    {
        var seen = -1;
        var step = _state.CreateProperty<int>("step");
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Typing }, async (turn, token) => seen = await step.GetAsync(turn, () => 0, token));
        return seen;
    }

    [Fact]
    public async Task A_null_attachment_costs_nothing_the_turns_state_is_saved_and_the_line_recorded()
    {
        var transcripts = new StorageTranscriptStore(_storage, Options.Create(new TranscriptOptions()), _clock);
        var adapter = Adapter(transcripts);
        var activity = adapter.MakeActivity("hello");
        activity.Attachments = [null!, new Attachment { ContentType = "text/plain" }];
        activity.SuggestedActions = new SuggestedActions { Actions = [null!] };

        await TurnAsync(adapter, activity);

        Assert.Equal(1, await StepAsync(adapter));
        var user = Assert.Single(await transcripts.ReadAsync("test/convo1"), line => line.Role == RoleTypes.User);
        Assert.Equal("hello", user.Text);
        Assert.Equal(["attachment: text/plain"], user.Shown);
    }

    [Fact]
    public async Task A_transcript_store_that_fails_never_loses_the_turns_state()
    {
        var adapter = Adapter(new FailingTranscripts());

        await TurnAsync(adapter, adapter.MakeActivity("hello"));
        await TurnAsync(adapter, adapter.MakeActivity("again"));

        Assert.Equal(2, await StepAsync(adapter));
    }

    [Fact]
    public async Task An_unreadable_stored_line_costs_that_line_not_the_whole_transcript()
    {
        var transcripts = new StorageTranscriptStore(_storage, Options.Create(new TranscriptOptions()), _clock);
        await transcripts.AppendAsync("test/convo1", new TranscriptEntry { At = _clock.GetUtcNow(), Role = "user", Type = "message", Text = "kept" });
        await _storage.WriteAsync("transcripts/test/convo1/0", new { At = "not a date", Role = 5 }, null, null);

        var line = Assert.Single(await transcripts.ReadAsync("test/convo1"));
        Assert.Equal("kept", line.Text);
    }

    private sealed class FailingTranscripts : ITranscriptStore
    {
        public long ReserveSlot() => 0;

        public Task AppendAsync(string conversationKey, TranscriptEntry entry, long? slot = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the transcript store is down");

        public Task<IReadOnlyList<TranscriptEntry>> ReadAsync(string conversationKey, int limit = 500, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<TranscriptEntry>>([]);
    }
}
