using System.Globalization;
using BotRuntime.Builder;
using BotRuntime.Schema;

namespace BotRuntime.Testing;

/// <summary>A test assertion about a conversation failed; the message names the turn and what differed.</summary>
public sealed class TestFlowException : Exception
{
    public TestFlowException() { }

    public TestFlowException(string message) : base(message) { }

    public TestFlowException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// A scripted conversation (Bot Framework's TestFlow): send user activities, assert on the bot's replies, in
/// order. Nothing runs until <see cref="StartTestAsync"/>. Each user activity is a turn; a failure says which turn,
/// which step of the script, what was expected and what the bot actually sent.
/// <code>
/// await new TestFlow(adapter, bot.OnTurnAsync)
///     .Send("hi").AssertReply("Which plan?").AssertSuggestedActions("Gold", "Silver")
///     .Send("gold").AssertReplyContains("Gold")
///     .AssertNoReply()
///     .StartTestAsync();
/// </code>
/// </summary>
public sealed class TestFlow
{
    private readonly TestAdapter _adapter;
    private readonly BotCallbackHandler _callback;
    private readonly List<(string Description, Func<FlowState, Task> Run)> _steps = [];

    public TestFlow(TestAdapter adapter, BotCallbackHandler callback)
    {
        _adapter = adapter ?? throw new ArgumentNullException(nameof(adapter));
        _callback = callback ?? throw new ArgumentNullException(nameof(callback));
    }

    public TestFlow(TestAdapter adapter, IBot bot)
        : this(adapter, (bot ?? throw new ArgumentNullException(nameof(bot))).OnTurnAsync)
    {
    }

    /// <summary>
    /// How long an assertion waits for a reply to appear. Turns finish before the next step runs, so this only
    /// matters for replies sent from background work; it is a generous ceiling, never a speed assertion. Default 3 s.
    /// </summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TestFlow Send(string text) => Send(_adapter.MakeActivity(text));

    public TestFlow Send(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Add($"send {ActivityComparison.Describe(activity)}", async state =>
        {
            // Sent as a copy so that one script can run twice.
            var copy = activity.Clone();
            state.BeginTurn(copy);
            await _adapter.ProcessActivityAsync(copy, _callback).ConfigureAwait(false);
        });
    }

    /// <summary>A conversationUpdate adding the user, as channels send when a chat opens.</summary>
    public TestFlow SendConversationUpdate()
    {
        var reference = _adapter.Conversation;
        return Send(new Activity { Type = ActivityTypes.ConversationUpdate, MembersAdded = [reference.User!, reference.Bot!] });
    }

    /// <summary>The next reply is a message whose trimmed text equals <paramref name="expectedText"/>.</summary>
    public TestFlow AssertReply(string expectedText) =>
        AssertNext($"reply \"{expectedText}\"", reply =>
            reply.IsType(ActivityTypes.Message) && ActivityComparison.NormaliseText(reply.Text) == ActivityComparison.NormaliseText(expectedText)
                ? null
                : $"expected the message \"{expectedText}\"");

    /// <summary>The next reply satisfies <paramref name="predicate"/>.</summary>
    public TestFlow AssertReply(Func<Activity, bool> predicate, string description)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return AssertNext(description, reply => predicate(reply) ? null : $"expected a reply where {description}");
    }

    /// <summary>The next reply passes <paramref name="inspect"/>, which throws (e.g. an xunit Assert) when it does not.</summary>
    public TestFlow AssertReply(Action<Activity> inspect, string description = "the inspection passes")
    {
        ArgumentNullException.ThrowIfNull(inspect);
        return AssertNext(description, reply =>
        {
            inspect(reply);
            return null;
        });
    }

    /// <summary>The next reply agrees with <paramref name="expected"/> in type, text, attachments and suggested actions.</summary>
    public TestFlow AssertReply(Activity expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return AssertNext($"reply {ActivityComparison.Describe(expected)}", reply => ActivityComparison.FirstDifference(expected, reply));
    }

    public TestFlow AssertReplyContains(string fragment) =>
        AssertNext($"reply containing \"{fragment}\"", reply =>
            reply.Text?.Contains(fragment, StringComparison.Ordinal) == true ? null : $"expected text containing \"{fragment}\"");

    public TestFlow AssertReplyOneOf(params string[] candidates) =>
        AssertNext($"reply one of {string.Join(" / ", candidates)}", reply =>
            candidates.Any(c => ActivityComparison.NormaliseText(c) == ActivityComparison.NormaliseText(reply.Text)) ? null : $"expected one of \"{string.Join("\", \"", candidates)}\"");

    public TestFlow AssertTyping() =>
        AssertNext("typing indicator", reply => reply.IsType(ActivityTypes.Typing) ? null : "expected a typing indicator");

    /// <summary>
    /// The reply taken by the previous assertion carries exactly these suggested-action titles, in order
    /// (so it reads <c>.AssertReply("Pick one").AssertSuggestedActions("A", "B")</c>).
    /// </summary>
    public TestFlow AssertSuggestedActions(params string[] titles) =>
        Add($"suggested actions {string.Join(" | ", titles)}", state =>
        {
            var reply = state.LastReply ?? throw Fail(state, $"suggested actions {string.Join(" | ", titles)}", "no reply has been asserted yet in this turn; assert the reply first");
            var actual = reply.SuggestedActions?.Actions?.Select(a => a.Title ?? string.Empty).ToList() ?? [];
            if (!actual.SequenceEqual(titles, StringComparer.Ordinal))
            {
                throw Fail(state, "suggested actions", $"expected [{string.Join(" | ", titles)}], actual [{string.Join(" | ", actual)}] on {ActivityComparison.Describe(reply)}");
            }
            return Task.CompletedTask;
        });

    /// <summary>The bot has sent nothing more (checked once the turn is over; no waiting).</summary>
    public TestFlow AssertNoReply() =>
        Add("no reply", state =>
        {
            if (_adapter.GetNextReply() is { } extra)
            {
                throw Fail(state, "no reply", $"the bot sent {ActivityComparison.Describe(extra)}");
            }
            return Task.CompletedTask;
        });

    /// <summary>Sends <paramref name="userSays"/> and expects <paramref name="expected"/> as the reply.</summary>
    public TestFlow Test(string userSays, string expected) => Send(userSays).AssertReply(expected);

    /// <summary>Replays a transcript: user activities are sent, bot activities asserted (see <see cref="TranscriptReplay"/>).</summary>
    public TestFlow Test(IEnumerable<Activity> transcript, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var activities = transcript.ToList();
        return Add($"replay {name ?? "transcript"}", _ => TranscriptReplay.RunAsync(_adapter, _callback, activities, name));
    }

    /// <summary>Runs any action between steps (advance a fake clock, change data behind the bot…).</summary>
    public TestFlow Do(Func<Task> action, string description = "action")
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(description, _ => action());
    }

    public TestFlow Do(Action action, string description = "action")
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(description, _ =>
        {
            action();
            return Task.CompletedTask;
        });
    }

    public async Task StartTestAsync()
    {
        var state = new FlowState();
        for (var i = 0; i < _steps.Count; i++)
        {
            state.Step = i + 1;
            state.StepDescription = _steps[i].Description;
            await _steps[i].Run(state).ConfigureAwait(false);
        }
    }

    private TestFlow AssertNext(string description, Func<Activity, string?> check) =>
        Add(description, async state =>
        {
            var reply = await _adapter.WaitForReplyAsync(ReplyTimeout).ConfigureAwait(false)
                ?? throw Fail(state, description, $"the bot sent nothing (waited {ReplyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
            state.LastReply = reply;
            string? problem;
            try
            {
                problem = check(reply);
            }
            catch (Exception exception) when (exception is not TestFlowException)
            {
                throw new TestFlowException(Where(state, description) + $": {exception.Message}; actual {ActivityComparison.Describe(reply)}", exception);
            }
            if (problem is not null)
            {
                throw Fail(state, description, $"{problem}; actual {ActivityComparison.Describe(reply)}");
            }
        });

    private TestFlow Add(string description, Func<FlowState, Task> run)
    {
        _steps.Add((description, run));
        return this;
    }

    private static TestFlowException Fail(FlowState state, string description, string problem) => new(Where(state, description) + ": " + problem);

    private static string Where(FlowState state, string description) => state.Turn == 0
        ? $"Before the first turn, step {state.Step} ({description})"
        : $"Turn {state.Turn} (after the user sent {state.TurnDescription}), step {state.Step} ({description})";

    private sealed class FlowState
    {
        public int Step { get; set; }
        public string StepDescription { get; set; } = string.Empty;
        public int Turn { get; private set; }
        public string TurnDescription { get; private set; } = string.Empty;
        public Activity? LastReply { get; set; }

        public void BeginTurn(Activity activity)
        {
            Turn++;
            TurnDescription = ActivityComparison.Describe(activity);
            LastReply = null;
        }
    }
}
