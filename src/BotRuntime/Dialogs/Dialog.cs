using BotRuntime.Builder;

namespace BotRuntime.Dialogs;

/// <summary>
/// A unit of conversation that can be begun, continued with the user's next activity, resumed when a child
/// it started ends, and ended. Every dialog has an <see cref="Id"/> unique in its set and a <see cref="Version"/>
/// that is stored with each running instance: bump the version whenever a change would make a saved instance
/// resume wrongly (steps added, removed or reordered, state reshaped). A saved instance whose version differs
/// restarts the conversation politely instead of resuming at the wrong place.
/// </summary>
public abstract class Dialog
{
    /// <summary>Returned by a dialog that waits for the user's next activity.</summary>
    public static DialogTurnResult EndOfTurn { get; } = new(DialogTurnStatus.Waiting);

    protected Dialog(string id, int version = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        Id = id;
        Version = version;
    }

    public string Id { get; }

    public int Version { get; }

    /// <summary>Starts the dialog; its instance is already on top of <paramref name="dc"/>'s stack.</summary>
    public abstract Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default);

    /// <summary>The user sent something while this dialog was on top. Default: end.</summary>
    public virtual Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        return dc.EndDialogAsync(null, cancellationToken);
    }

    /// <summary>A child this dialog started ended with <paramref name="result"/>. Default: end with that result.</summary>
    public virtual Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        return dc.EndDialogAsync(result, cancellationToken);
    }

    /// <summary>Asks again for whatever this dialog waits for (after help, for instance). Default: nothing.</summary>
    public virtual Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The instance is leaving the stack (ended, replaced or cancelled); release what it holds.</summary>
    public virtual Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Checks a saved instance (whose id and version already match) against this build, beyond the version:
    /// a waterfall checks that the step it waits in still has the same name; a component checks its inner stack.
    /// Returns null when it can resume.
    /// </summary>
    protected internal virtual StaleDialog? CheckSavedInstance(DialogContext dc, DialogInstance instance) => null;

    /// <summary>What the dialog snapshot records about this dialog: its kind and, for waterfalls, its step names.</summary>
    public virtual DialogSignature GetSignature() => new(Id, Version, KindOf(GetType()), []);

    /// <summary>Dialogs this one owns (a component's inner set), for snapshots.</summary>
    public virtual IEnumerable<Dialog> GetChildDialogs() => [];

    public override string ToString() => $"{Id} v{Version} ({KindOf(GetType())})";

    /// <summary>A type's name as the snapshot shows it: <c>NumberPrompt&lt;Int32&gt;</c> rather than <c>NumberPrompt`1</c>.</summary>
    protected static string KindOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsGenericType)
        {
            return type.Name;
        }
        var name = type.Name.Split('`')[0];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(KindOf))}>";
    }
}

/// <summary>
/// The shape of a dialog as far as a saved conversation cares. Two builds whose signatures differ while the
/// version stayed the same would resume old conversations wrongly; the snapshot test catches that.
/// </summary>
public sealed record DialogSignature(string Id, int Version, string Kind, IReadOnlyList<string> Steps);
