using System.Collections;
using BotRuntime.Builder;
using BotRuntime.State;

namespace BotRuntime.Dialogs;

/// <summary>
/// The dialogs that can run together, by id. Unlike the SDK, adding a second dialog with a taken id throws
/// rather than silently renaming it: a renamed dialog would not match the ids already saved in conversations.
/// </summary>
public sealed class DialogSet : IEnumerable<Dialog>
{
    private readonly Dictionary<string, Dialog> _dialogs = new(StringComparer.Ordinal);
    private readonly List<Dialog> _ordered = [];
    private readonly IStatePropertyAccessor<DialogState>? _dialogState;

    public DialogSet(IStatePropertyAccessor<DialogState>? dialogState = null) => _dialogState = dialogState;

    public DialogSet Add(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        if (_dialogs.TryGetValue(dialog.Id, out var existing))
        {
            if (ReferenceEquals(existing, dialog))
            {
                return this;
            }
            throw new InvalidOperationException($"A dialog with id '{dialog.Id}' is already in this set ({existing.GetType().Name}); dialog ids must be unique.");
        }
        _dialogs[dialog.Id] = dialog;
        _ordered.Add(dialog);
        return this;
    }

    public Dialog? Find(string dialogId)
    {
        ArgumentNullException.ThrowIfNull(dialogId);
        return _dialogs.GetValueOrDefault(dialogId);
    }

    /// <summary>Loads the stack from the conversation-state property this set was created with.</summary>
    public async Task<DialogContext> CreateContextAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (_dialogState is null)
        {
            throw new InvalidOperationException("This DialogSet was created without a DialogState accessor; pass one to the constructor.");
        }
        var state = await _dialogState.GetAsync(turnContext, () => new DialogState(), cancellationToken).ConfigureAwait(false);
        return new DialogContext(this, turnContext, state!);
    }

    public IEnumerator<Dialog> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
