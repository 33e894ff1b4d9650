using System.Security.Claims;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.State;

namespace AriaBot.Session;

/// <summary>
/// The turn's session binding, read once per turn (issue 22). An unsigned "hi" asked the store for it three times
/// (the customer-activity middleware, the session check, the held-notice middleware), each a round trip on
/// PostgreSQL. The first read's answer, absent included, is kept in the turn's state and reused until
/// <see cref="AccountSession"/> changes the binding (bind, remove, keep-alive), which drops it. It never outlives the
/// turn, so another turn or instance always reads the store.
/// </summary>
internal static class TurnBindingCache
{
    private const string CacheKey = "AriaBot.Session.Binding";

    private sealed record Entry(BindingKey Key, SessionBinding? Binding);

    /// <summary>The binding of <paramref name="key"/> as this turn first read it.</summary>
    public static async Task<SessionBinding?> GetForTurnAsync(this ISessionBindings bindings, ITurnContext turnContext, BindingKey key, CancellationToken cancellationToken)
    {
        if (turnContext.TurnState.Get<Entry>(CacheKey) is { } entry && entry.Key == key)
        {
            return entry.Binding;
        }
        var binding = await bindings.GetAsync(key, cancellationToken).ConfigureAwait(false);
        turnContext.TurnState.Set(CacheKey, new Entry(key, binding));
        return binding;
    }

    /// <summary>The turn changed the binding: its next read goes to the store.</summary>
    public static void Forget(ITurnContext turnContext) => turnContext.TurnState.Remove(CacheKey);
}

/// <summary>
/// Names the turn's binding key for the read-ahead (<see cref="ITurnReadAheadKeys"/>): on PostgreSQL the binding then
/// comes with the lease, in the turn's first round trip, instead of a read of its own. A web chat user's (<c>dl_</c>)
/// turn also names the per-user registration its lookup reads when the conversation has no binding yet
/// (<see cref="StorageSessionBindings.RegistrationKeyFor"/>): every unsigned Direct Line turn read it in a round trip
/// of its own (issue 22).
/// </summary>
internal sealed class SessionBindingReadAhead : ITurnReadAheadKeys
{
    public IEnumerable<string> KeysFor(Activity activity, ClaimsIdentity? identity)
    {
        if (BindingKey.For(activity, TurnIngresses.Of(identity)) is not { } key)
        {
            return [];
        }
        var conversationKey = StorageSessionBindings.ConversationKey(key);
        return StorageSessionBindings.RegistrationKeyFor(key) is { } userKey ? [conversationKey, userKey] : [conversationKey];
    }
}
