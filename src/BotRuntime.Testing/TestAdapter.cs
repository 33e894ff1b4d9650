using System.Runtime.ExceptionServices;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;

namespace BotRuntime.Testing;

/// <summary>Who talks in a test conversation; the defaults are the Bot Framework TestAdapter's.</summary>
public sealed class TestAdapterOptions
{
    /// <summary>Default <c>test</c>; set <c>msteams</c>, <c>slack</c>, <c>webchat</c>… to test channel-specific rendering.</summary>
    public string ChannelId { get; init; } = Channels.Test;

    public string ServiceUrl { get; init; } = "https://test.com";

    public string UserId { get; init; } = "user1";

    public string UserName { get; init; } = "User1";

    public string BotId { get; init; } = "bot";

    public string BotName { get; init; } = "Bot";

    public string ConversationId { get; init; } = "convo1";

    /// <summary>Teams' <c>personal</c>, <c>groupChat</c> or <c>channel</c>; default none.</summary>
    public string? ConversationType { get; init; }

    public bool? IsGroup { get; init; }

    /// <summary>The locale of every user activity that does not set its own. Default <c>en-us</c>.</summary>
    public string? Locale { get; init; } = "en-us";

    /// <summary>Stamps inbound activities; pass a FakeTimeProvider to control the clock. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The ingress every turn is stamped with (<see cref="TurnIngresses"/>). Default <see cref="TurnIngress.Anonymous"/>:
    /// like a caller of an unauthenticated <c>/api/messages</c>, a test conversation chooses its own ids.
    /// </summary>
    public TurnIngress Ingress { get; init; } = TurnIngress.Anonymous;

    /// <summary>What happens when the bot throws. Default: rethrow, so the test fails with the bot's exception.</summary>
    public ITurnErrorHandler? ErrorHandler { get; init; }
}

/// <summary>
/// An in-memory conversation with a bot over the production pipeline: the real <see cref="ChannelAdapter"/>
/// (middleware, error handler, delivery rules) with a connector that queues the bot's replies for assertions.
/// Every inbound and outbound activity is also kept in <see cref="Transcript"/> in order.
/// </summary>
public sealed class TestAdapter
{
    private readonly TestConnector _connector;
    private readonly List<Activity> _transcript = [];
    private readonly Lock _gate = new();
    private int _nextId;

    public TestAdapter(TestAdapterOptions? options = null, params IMiddleware[] middleware)
    {
        Options = options ?? new TestAdapterOptions();
        _connector = new TestConnector(this);
        Adapter = new ChannelAdapter(middleware, Options.ErrorHandler ?? RethrowingErrorHandler.Instance, Options.TimeProvider);
    }

    public TestAdapterOptions Options { get; }

    /// <summary>The production adapter the turns run through.</summary>
    public ChannelAdapter Adapter { get; }

    public TestAdapter Use(IMiddleware middleware)
    {
        Adapter.Use(middleware);
        return this;
    }

    public ConversationReference Conversation => new()
    {
        ChannelId = Options.ChannelId,
        ServiceUrl = Options.ServiceUrl,
        User = new ChannelAccount { Id = Options.UserId, Name = Options.UserName, Role = RoleTypes.User },
        Bot = new ChannelAccount { Id = Options.BotId, Name = Options.BotName, Role = RoleTypes.Bot },
        Conversation = new ConversationAccount { Id = Options.ConversationId, ConversationType = Options.ConversationType, IsGroup = Options.IsGroup },
        Locale = Options.Locale,
    };

    /// <summary>Replies not yet taken by <see cref="GetNextReply"/>.</summary>
    public int PendingReplies => _connector.Count;

    /// <summary>Everything said so far, both sides, in order (ids and timestamps as assigned here).</summary>
    public IReadOnlyList<Activity> Transcript
    {
        get
        {
            lock (_gate)
            {
                return [.. _transcript];
            }
        }
    }

    /// <summary>A user message addressed to the bot in this conversation.</summary>
    public Activity MakeActivity(string? text = null) => new() { Type = ActivityTypes.Message, Text = text };

    /// <summary>Runs one turn for <paramref name="activity"/>; what it leaves unset (ids, sides, locale, time) is filled in.</summary>
    public async Task ProcessActivityAsync(Activity activity, BotCallbackHandler callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(callback);
        var reference = Conversation;
        activity.Type ??= ActivityTypes.Message;
        activity.ChannelId ??= reference.ChannelId;
        activity.ServiceUrl ??= reference.ServiceUrl;
        activity.From ??= reference.User;
        activity.Recipient ??= reference.Bot;
        activity.Conversation ??= reference.Conversation;
        activity.Locale ??= reference.Locale;
        activity.Id ??= Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        activity.Timestamp ??= Options.TimeProvider.GetUtcNow();
        Record(activity.Clone());
        await Adapter.ProcessActivityAsync(activity, _connector, TurnIngresses.Unauthenticated(Options.Ingress), callback, cancellationToken).ConfigureAwait(false);
    }

    public Task SendTextToBotAsync(string text, BotCallbackHandler callback, CancellationToken cancellationToken = default) =>
        ProcessActivityAsync(MakeActivity(text), callback, cancellationToken);

    /// <summary>The oldest reply not yet taken, or null.</summary>
    public Activity? GetNextReply() => _connector.TryDequeue();

    /// <summary>
    /// The next reply, waiting up to <paramref name="timeout"/> for one to arrive (turns complete before
    /// <see cref="ProcessActivityAsync"/> returns, so this only waits for replies sent from background work).
    /// </summary>
    public Task<Activity?> WaitForReplyAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _connector.DequeueAsync(timeout, cancellationToken);

    /// <summary>Takes and returns every pending reply.</summary>
    public IReadOnlyList<Activity> DrainReplies()
    {
        List<Activity> replies = [];
        while (GetNextReply() is { } reply)
        {
            replies.Add(reply);
        }
        return replies;
    }

    internal void Record(Activity activity)
    {
        lock (_gate)
        {
            _transcript.Add(activity);
        }
    }

    internal string NextReplyId() => $"reply-{Interlocked.Increment(ref _nextId)}";

    /// <summary>Queues replies; the same copy-on-send rule as the expectReplies connector.</summary>
    private sealed class TestConnector(TestAdapter owner) : IChannelConnector
    {
        private readonly Queue<Activity> _replies = new();
        private readonly SemaphoreSlim _available = new(0);
        private readonly Lock _gate = new();

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _replies.Count;
                }
            }
        }

        public Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(activity);
            var copy = activity.Clone();
            copy.Id ??= owner.NextReplyId();
            copy.Timestamp ??= owner.Options.TimeProvider.GetUtcNow();
            owner.Record(copy.Clone());
            lock (_gate)
            {
                _replies.Enqueue(copy);
            }
            _available.Release();
            return Task.FromResult(new ResourceResponse(copy.Id));
        }

        public Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(activity);
            owner.Record(activity.Clone());
            return Task.FromResult(new ResourceResponse(activity.Id));
        }

        public Task DeleteActivityAsync(ConversationReference reference, CancellationToken cancellationToken) => Task.CompletedTask;

        public Activity? TryDequeue()
        {
            if (!_available.Wait(0))
            {
                return null;
            }
            lock (_gate)
            {
                return _replies.Dequeue();
            }
        }

        public async Task<Activity?> DequeueAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!await _available.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            lock (_gate)
            {
                return _replies.Dequeue();
            }
        }
    }
}

/// <summary>Lets the bot's exception reach the test instead of turning it into an apology.</summary>
public sealed class RethrowingErrorHandler : ITurnErrorHandler
{
    public static RethrowingErrorHandler Instance { get; } = new();

    public Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        ExceptionDispatchInfo.Throw(exception ?? throw new ArgumentNullException(nameof(exception)));
        return Task.CompletedTask;
    }
}
