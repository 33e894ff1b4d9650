using BotRuntime.Builder;

namespace BotRuntime.State;

/// <summary>Saves the given states at the end of every turn that completed without an exception.</summary>
public sealed class AutoSaveStateMiddleware(params BotState[] states) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        await next(cancellationToken).ConfigureAwait(false);
        // Where the host gathers the turn's writes, the saves commit with them in one storage write (issue 22).
        if (TurnWrites.Current is { } turn && states.Length > 0 && Array.TrueForAll(states, state => ReferenceEquals(state.SaveStorage, states[0].SaveStorage)))
        {
            List<BotState.PendingSave>? saves = null;
            var writes = new Dictionary<string, StoreWrite>(StringComparer.Ordinal);
            foreach (var state in states)
            {
                if (state.PrepareSave(turnContext, false) is { } save)
                {
                    (saves ??= []).Add(save);
                    writes[save.Key] = save.Write;
                }
            }
            var written = await turn.CommitAsync(states[0].SaveStorage, writes, cancellationToken).ConfigureAwait(false);
            saves?.ForEach(save => save.Saved(written[save.Key]));
            return;
        }
        foreach (var state in states)
        {
            await state.SaveChangesAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        }
    }
}
