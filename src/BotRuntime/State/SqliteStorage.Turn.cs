namespace BotRuntime.State;

/// <summary>
/// A turn's first reads in one statement (issue 22). A turn on SQLite read its conversation state, then the session
/// binding, then (on the anonymous ingress) the ownership markers, each a read of its own; PostgreSQL reads them with the
/// lease. Here the conversation is held by this process's lock, so the same keys are read in one statement on a kept
/// reader once the turn holds it, and served once to the turn's first read of each (<see cref="TurnReadAhead"/>).
/// </summary>
public sealed partial class SqliteStorage : ITurnReadAheadStore
{
    public async Task<TurnReadAhead?> ReadTurnStartAsync(IReadOnlyCollection<string> readAhead, IReadOnlyCollection<string> refuseIfAny, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readAhead);
        ArgumentNullException.ThrowIfNull(refuseIfAny);
        if (readAhead.Count == 0 && refuseIfAny.Count == 0)
        {
            return null;
        }
        // Both lists are a few keys: a list scanned by hand, no set, no LINQ (this runs once per turn).
        var keys = new List<string>(readAhead.Count + refuseIfAny.Count);
        AddNew(keys, refuseIfAny);
        AddNew(keys, readAhead);
        // The read-ahead's own dictionary receives the rows (handed over below, not copied): one dictionary per turn.
        var items = new Dictionary<string, StoreItem?>(keys.Count, StringComparer.Ordinal);
        Enter();
        try
        {
            // Straight to the file: an earlier turn's copy still current on this flow must not answer for this one.
            await ReadIntoAsync(keys, items, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
        foreach (var key in refuseIfAny)
        {
            // Only rows found are in it so far.
            if (items.ContainsKey(key))
            {
                throw new TurnRefusedException();
            }
        }
        if (readAhead.Count == 0)
        {
            return null;
        }
        foreach (var key in readAhead)
        {
            // Absent is an answer too: the turn's read of a state not yet saved is served as well.
            items.TryAdd(key, null);
        }
        return TurnReadAhead.Adopt(this, items);
    }

    private static void AddNew(List<string> keys, IReadOnlyCollection<string> more)
    {
        foreach (var key in more)
        {
            var known = false;
            for (var i = 0; i < keys.Count && !known; i++)
            {
                known = string.Equals(keys[i], key, StringComparison.Ordinal);
            }
            if (!known)
            {
                keys.Add(key);
            }
        }
    }
}
