using System.Reflection;
using System.Text;
using System.Text.Json;
using BotRuntime.Dialogs;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Testing;

/// <summary>One dialog in a snapshot: where it sits (component ids joined by '/'), what it is, its version and steps.</summary>
public sealed record DialogSnapshotEntry(string Path, string Kind, int Version, IReadOnlyList<string> Steps);

/// <summary>The dialog snapshot does not match the code; the message says which dialog and what to do.</summary>
public sealed class DialogSnapshotException : Exception
{
    public DialogSnapshotException() { }

    public DialogSnapshotException(string message) : base(message) { }

    public DialogSnapshotException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Guards saved conversations against redeploys. A committed file lists every dialog's id, version, kind and
/// step names; <see cref="Verify"/> fails when a dialog's steps (or kind) changed while its version did not —
/// the change that would make a saved conversation resume at the wrong step — and when the file is merely out of
/// date. Set the environment variable <c>DIALOG_SNAPSHOT_UPDATE=1</c> (or pass <c>update: true</c>) to rewrite
/// the file; it is never rewritten while an unversioned change remains.
/// <code>
/// [Fact]
/// public void Dialog_versions_match_the_snapshot() =>
///     DialogSnapshot.Verify(DialogSnapshot.FromServices(services), Path.Combine(SourceDir(), "dialog-snapshot.json"));
/// </code>
/// </summary>
public static class DialogSnapshot
{
    public const string UpdateVariable = "DIALOG_SNAPSHOT_UPDATE";

    /// <summary>Every dialog and, through components, every inner dialog, ordered by path.</summary>
    public static IReadOnlyList<DialogSnapshotEntry> Describe(IEnumerable<Dialog> dialogs)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var entries = new SortedDictionary<string, DialogSnapshotEntry>(StringComparer.Ordinal);
        foreach (var dialog in dialogs)
        {
            Collect(dialog, null, entries);
        }
        return [.. entries.Values];
    }

    private static void Collect(Dialog dialog, string? parentPath, SortedDictionary<string, DialogSnapshotEntry> entries)
    {
        var path = parentPath is null ? dialog.Id : $"{parentPath}/{dialog.Id}";
        var signature = dialog.GetSignature();
        if (entries.TryGetValue(path, out var existing))
        {
            if (existing.Version != signature.Version || existing.Kind != signature.Kind)
            {
                throw new DialogSnapshotException($"Two different dialogs have the path '{path}'.");
            }
            return;
        }
        entries[path] = new DialogSnapshotEntry(path, signature.Kind, signature.Version, signature.Steps);
        foreach (var child in dialog.GetChildDialogs())
        {
            Collect(child, path, entries);
        }
    }

    /// <summary>The snapshot file text: one dialog per line so that a change reads well in a diff.</summary>
    public static string Render(IEnumerable<Dialog> dialogs) => Render(Describe(dialogs));

    public static string Render(IReadOnlyList<DialogSnapshotEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder("{\n  \"dialogs\": [\n");
        for (var i = 0; i < entries.Count; i++)
        {
            text.Append("    ").Append(JsonSerializer.Serialize(entries[i], StateJson.Options));
            text.Append(i < entries.Count - 1 ? ",\n" : "\n");
        }
        return text.Append("  ]\n}\n").ToString();
    }

    public static IReadOnlyList<DialogSnapshotEntry> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("dialogs").EnumerateArray()
            .Select(item => item.Deserialize<DialogSnapshotEntry>(StateJson.Options) ?? throw new FormatException("A snapshot entry is null."))];
    }

    /// <summary>
    /// Every problem between the committed snapshot and the code, worst first. <see cref="SnapshotProblem.NeedsVersionBump"/>
    /// marks the ones an update must not paper over.
    /// </summary>
    public static IReadOnlyList<SnapshotProblem> Compare(IReadOnlyList<DialogSnapshotEntry> committed, IReadOnlyList<DialogSnapshotEntry> current)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(current);
        var before = committed.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var now = current.ToDictionary(e => e.Path, StringComparer.Ordinal);
        List<SnapshotProblem> problems = [];
        foreach (var entry in current)
        {
            if (!before.TryGetValue(entry.Path, out var old))
            {
                problems.Add(new(entry.Path, false, $"Dialog '{entry.Path}' ({entry.Kind} v{entry.Version}) is new and not in the snapshot: update the snapshot."));
                continue;
            }
            var stepsChanged = !old.Steps.SequenceEqual(entry.Steps, StringComparer.Ordinal);
            var kindChanged = old.Kind != entry.Kind;
            if (entry.Version == old.Version)
            {
                if (stepsChanged)
                {
                    problems.Add(new(entry.Path, true,
                        $"The step list of '{entry.Path}' changed but its version did not (still {entry.Version}): was [{string.Join(", ", old.Steps)}], now [{string.Join(", ", entry.Steps)}]. " +
                        "A conversation saved in the old steps would resume at the wrong step: bump the version and update the snapshot."));
                }
                else if (kindChanged)
                {
                    problems.Add(new(entry.Path, true,
                        $"'{entry.Path}' changed from {old.Kind} to {entry.Kind} but its version did not (still {entry.Version}): saved state of the old kind would be read by the new one. Bump the version and update the snapshot."));
                }
            }
            else if (entry.Version < old.Version)
            {
                problems.Add(new(entry.Path, true,
                    $"The version of '{entry.Path}' went down from {old.Version} to {entry.Version}: conversations saved at version {entry.Version} before may have other steps. Use a version above {old.Version}."));
            }
            else
            {
                problems.Add(new(entry.Path, false, $"'{entry.Path}' is version {entry.Version} but the snapshot records {old.Version}: update the snapshot."));
            }
        }
        foreach (var old in committed.Where(e => !now.ContainsKey(e.Path)))
        {
            problems.Add(new(old.Path, false, $"Dialog '{old.Path}' is in the snapshot but no longer exists (saved conversations in it will restart politely): update the snapshot."));
        }
        return [.. problems.OrderByDescending(p => p.NeedsVersionBump)];
    }

    /// <summary>
    /// Compares <paramref name="dialogs"/> with the snapshot file and throws <see cref="DialogSnapshotException"/>
    /// listing every problem. With <paramref name="update"/> (default: the <c>DIALOG_SNAPSHOT_UPDATE</c> variable is
    /// <c>1</c>/<c>true</c>) the file is (re)written instead, unless a step change still lacks its version bump.
    /// </summary>
    public static void Verify(IEnumerable<Dialog> dialogs, string snapshotPath, bool? update = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotPath);
        var current = Describe(dialogs);
        var rewrite = update ?? Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true" or "True";
        var hint = $"Set {UpdateVariable}=1 and run the test again to rewrite {snapshotPath}, then commit it.";
        if (!File.Exists(snapshotPath))
        {
            if (rewrite)
            {
                File.WriteAllText(snapshotPath, Render(current));
                return;
            }
            throw new DialogSnapshotException($"There is no dialog snapshot at {snapshotPath}. {hint}");
        }
        var problems = Compare(Parse(File.ReadAllText(snapshotPath)), current);
        if (problems.Count == 0)
        {
            return;
        }
        var blocking = problems.Where(p => p.NeedsVersionBump).ToList();
        if (rewrite && blocking.Count == 0)
        {
            File.WriteAllText(snapshotPath, Render(current));
            return;
        }
        var message = new StringBuilder("The dialog snapshot does not match the dialogs:\n");
        foreach (var problem in problems)
        {
            message.Append("  - ").Append(problem.Message).Append('\n');
        }
        message.Append(blocking.Count > 0 ? "Bump the versions named above first; then " + hint : hint);
        throw new DialogSnapshotException(message.ToString());
    }

    /// <summary>The dialogs registered as <see cref="Dialog"/> in a container (the assistant registers each one).</summary>
    public static IEnumerable<Dialog> FromServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetServices<Dialog>();
    }

    /// <summary>
    /// One instance of every concrete <see cref="Dialog"/> subclass in <paramref name="assembly"/>, created with
    /// <paramref name="services"/> for constructor arguments (or a parameterless constructor). Types that cannot be
    /// built that way are listed in the exception, so none is silently left out.
    /// </summary>
    public static IEnumerable<Dialog> FromAssembly(Assembly assembly, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        List<Dialog> dialogs = [];
        List<string> failures = [];
        foreach (var type in assembly.GetTypes().Where(t => typeof(Dialog).IsAssignableFrom(t) && t is { IsAbstract: false, IsGenericTypeDefinition: false }).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            try
            {
                dialogs.Add((Dialog)(services is null ? Activator.CreateInstance(type)! : ActivatorUtilities.CreateInstance(services, type)));
            }
            catch (Exception exception) when (exception is MissingMethodException or InvalidOperationException or TargetInvocationException)
            {
                failures.Add($"{type.FullName}: {exception.Message}");
            }
        }
        if (failures.Count > 0)
        {
            throw new DialogSnapshotException("These dialogs could not be created for the snapshot:\n  - " + string.Join("\n  - ", failures));
        }
        return dialogs;
    }
}

/// <summary>One mismatch between the snapshot and the code.</summary>
/// <param name="NeedsVersionBump">True when the code is wrong (a change without a version bump), not just the file.</param>
public sealed record SnapshotProblem(string Path, bool NeedsVersionBump, string Message);
