using Aria.Client.Http;
using BotRuntime.Builder;

namespace AriaBot.Session;

/// <summary>
/// The Aria calls made during one turn, in order, so that <see cref="IAccountSession.CheckBeforeWriteAsync"/> can
/// tell whether anything was sent to Aria after the turn's last validation. It is filled by
/// <see cref="AriaCallLedgerHandler"/> (on the Aria client's HttpClient, so no call can bypass it) and scoped to
/// the turn by <see cref="AriaCallLedgerMiddleware"/> through an <see cref="AsyncLocal{T}"/> that flows into
/// every call the turn awaits.
/// </summary>
public sealed class AriaCallLedger
{
    private static readonly AsyncLocal<AriaCallLedger?> CurrentLedger = new();
    private readonly List<string> _calls = [];
    private readonly Lock _gate = new();

    internal const string TurnStateKey = "AriaBot.Session.AriaCallLedger";

    /// <summary>The ledger of the turn running on this async flow, or null outside a turn (or without the middleware).</summary>
    public static AriaCallLedger? Current
    {
        get => CurrentLedger.Value;
        internal set => CurrentLedger.Value = value;
    }

    /// <summary>How many Aria requests were sent so far in this turn (every attempt counts: a retry is a call).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>The <c>rest_call</c> names in the order they were sent.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    internal void Record(string restCall)
    {
        lock (_gate)
        {
            _calls.Add(restCall);
        }
    }

    /// <summary>The ledger of <paramref name="turnContext"/>: the one the middleware put in turn state, else the flow's.</summary>
    public static AriaCallLedger? Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.TurnState.Get<AriaCallLedger>(TurnStateKey) ?? Current;
    }
}

/// <summary>Starts a fresh <see cref="AriaCallLedger"/> for every turn.</summary>
public sealed class AriaCallLedgerMiddleware : BotRuntime.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var ledger = new AriaCallLedger();
        turnContext.TurnState.Set(AriaCallLedger.TurnStateKey, ledger);
        var previous = AriaCallLedger.Current;
        AriaCallLedger.Current = ledger;
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            AriaCallLedger.Current = previous;
        }
    }
}

/// <summary>
/// Records each request the Aria client sends into the current turn's ledger. Added to the named <c>Aria</c>
/// HttpClient after the client's own handlers, so it sees every attempt with its <c>rest_call</c> already known.
/// </summary>
public sealed class AriaCallLedgerHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Recorded before sending: a call whose reply never came may still have reached Aria.
        AriaCallLedger.Current?.Record(AriaCallInfo.From(request)?.RestCall ?? "unknown");
        return base.SendAsync(request, cancellationToken);
    }
}
