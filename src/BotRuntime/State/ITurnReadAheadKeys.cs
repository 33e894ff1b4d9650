using System.Security.Claims;
using BotRuntime.Schema;

namespace BotRuntime.State;

/// <summary>
/// Keys a bot knows its turn will read, besides the conversation state, named before the turn runs so that a store
/// with shared leases (PostgreSQL) reads them in the same round trip as it takes the lease (<see cref="TurnStart.ReadAhead"/>;
/// issue 22). Register any number; each turn's read-ahead is the conversation state's key plus every key they name.
/// </summary>
/// <remarks>
/// Naming a key the turn then does not read costs nothing but its bytes in that one round trip (the copy is dropped
/// when the turn ends). A key is served once, to the turn's first read of it, and forgotten once the turn writes it;
/// serving it equals reading the store at the moment the lease was taken (<see cref="TurnReadAhead"/>).
/// </remarks>
public interface ITurnReadAheadKeys
{
    /// <summary>The keys <paramref name="activity"/>'s turn will most likely read; <paramref name="identity"/> is what its ingress proved.</summary>
    IEnumerable<string> KeysFor(Activity activity, ClaimsIdentity? identity);
}
