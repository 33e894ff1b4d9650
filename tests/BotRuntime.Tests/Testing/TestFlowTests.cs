using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Testing;

public sealed class TestFlowTests
{
    /// <summary>Echoes, offers buttons on "menu", says nothing on "quiet", throws on "boom", counts turns in conversation state.</summary>
    private sealed class SampleBot(ConversationState state) : ActivityHandler
    {
        private readonly IStatePropertyAccessor<int> _turns = state.CreateProperty<int>("turns");

        protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        {
            var turns = await _turns.GetAsync(turnContext, () => 0, cancellationToken) + 1;
            await _turns.SetAsync(turnContext, turns, cancellationToken);
            switch (turnContext.Activity.Text)
            {
                case "menu":
                    await turnContext.SendActivityAsync(MessageFactory.SuggestedActions(["Plans", "Payments"], "What would you like?"), cancellationToken);
                    break;
                case "quiet":
                    break;
                case "boom":
                    throw new InvalidOperationException("boom");
                default:
                    await turnContext.SendActivityAsync($"Echo {turns}: {turnContext.Activity.Text} ({turnContext.Activity.Locale})", cancellationToken: cancellationToken);
                    break;
            }
        }

        protected override Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) =>
            turnContext.SendActivityAsync($"Welcome {membersAdded[0].Name}", cancellationToken: cancellationToken);
    }

    private static (TestAdapter Adapter, SampleBot Bot) Create(TestAdapterOptions? options = null)
    {
        var state = new ConversationState(new MemoryStorage(new FakeTimeProvider()));
        return (new TestAdapter(options, new AutoSaveStateMiddleware(state)), new SampleBot(state));
    }

    [Fact]
    public async Task A_conversation_runs_through_the_real_pipeline_with_state_between_turns()
    {
        var (adapter, bot) = Create();
        await new TestFlow(adapter, bot)
            .SendConversationUpdate().AssertReply("Welcome User1")
            .Test("hello", "Echo 1: hello (en-us)")
            .Send("menu").AssertReply("What would you like?").AssertSuggestedActions("Plans", "Payments")
            .Send("quiet").AssertNoReply()
            .Send("again").AssertReplyContains("Echo 4").AssertNoReply()
            .StartTestAsync();

        var transcript = adapter.Transcript;
        Assert.Equal(RoleTypes.User, transcript[2].From!.Role);
        Assert.Equal("bot", transcript[3].From!.Id);
        Assert.Equal("convo1", transcript[3].Conversation!.Id);
        Assert.Equal(transcript[2].Id, transcript[3].ReplyToId);
    }

    [Fact]
    public async Task Inbound_activities_carry_the_configured_conversation_locale_and_fake_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
        var (adapter, bot) = Create(new TestAdapterOptions { ChannelId = Channels.Msteams, ConversationType = "personal", Locale = "es-ES", TimeProvider = clock });
        await new TestFlow(adapter, bot).Test("hola", "Echo 1: hola (es-ES)").StartTestAsync();

        var inbound = adapter.Transcript[0];
        Assert.Equal("msteams", inbound.ChannelId);
        Assert.Equal("personal", inbound.Conversation!.ConversationType);
        Assert.Equal(clock.GetUtcNow(), inbound.Timestamp);
    }

    [Fact]
    public async Task A_wrong_reply_names_the_turn_the_step_and_both_texts()
    {
        var (adapter, bot) = Create();
        var error = await Assert.ThrowsAsync<TestFlowException>(() => new TestFlow(adapter, bot)
            .Test("one", "Echo 1: one (en-us)")
            .Test("two", "Echo 2: deux (en-us)")
            .StartTestAsync());

        Assert.Equal(
            "Turn 2 (after the user sent message \"two\"), step 4 (reply \"Echo 2: deux (en-us)\"): expected the message \"Echo 2: deux (en-us)\"; actual message \"Echo 2: two (en-us)\"",
            error.Message);
    }

    [Fact]
    public async Task A_missing_reply_and_an_unexpected_reply_both_fail_clearly()
    {
        var (adapter, bot) = Create();
        var missing = await Assert.ThrowsAsync<TestFlowException>(() => new TestFlow(adapter, bot) { ReplyTimeout = TimeSpan.FromMilliseconds(50) }
            .Send("quiet").AssertReply("anything").StartTestAsync());
        Assert.StartsWith("Turn 1 (after the user sent message \"quiet\"), step 2 (reply \"anything\"): the bot sent nothing", missing.Message, StringComparison.Ordinal);

        var extra = await Assert.ThrowsAsync<TestFlowException>(() => new TestFlow(adapter, bot).Send("hi").AssertNoReply().StartTestAsync());
        Assert.Equal("Turn 1 (after the user sent message \"hi\"), step 2 (no reply): the bot sent message \"Echo 2: hi (en-us)\"", extra.Message);
    }

    [Fact]
    public async Task Suggested_actions_and_predicates_report_what_was_there()
    {
        var (adapter, bot) = Create();
        var error = await Assert.ThrowsAsync<TestFlowException>(() => new TestFlow(adapter, bot)
            .Send("menu").AssertReply(a => a.SuggestedActions is not null, "it has buttons").AssertSuggestedActions("Plans", "Orders")
            .StartTestAsync());
        Assert.Contains("expected [Plans | Orders], actual [Plans | Payments]", error.Message, StringComparison.Ordinal);

        var inspected = await Assert.ThrowsAsync<TestFlowException>(() => new TestFlow(adapter, bot)
            .Send("x").AssertReply(a => Assert.Equal("nope", a.Text))
            .StartTestAsync());
        Assert.StartsWith("Turn 1 (after the user sent message \"x\"), step 2 (the inspection passes):", inspected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bots_exception_reaches_the_test_unless_an_error_handler_is_configured()
    {
        var (adapter, bot) = Create();
        await Assert.ThrowsAsync<InvalidOperationException>(() => new TestFlow(adapter, bot).Send("boom").StartTestAsync());

        var (apologising, bot2) = Create(new TestAdapterOptions { ErrorHandler = new DefaultTurnErrorHandler(NullLogger<DefaultTurnErrorHandler>.Instance) });
        await new TestFlow(apologising, bot2).Send("boom").AssertReplyContains("something went wrong").StartTestAsync();
    }
}
