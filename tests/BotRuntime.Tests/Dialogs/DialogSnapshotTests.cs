using System.Runtime.CompilerServices;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Dialogs;

public sealed class DialogSnapshotTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dialog-snapshot-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>The committed snapshot of the sample assistant; the assistant project keeps one like it for its dialogs.</summary>
    [Fact]
    public void The_sample_dialogs_match_the_committed_snapshot() =>
        DialogSnapshot.Verify(SampleDialogs.All(), Path.Combine(SourceFolder(), "dialog-snapshot.json"));

    private static Task<DialogTurnResult> Step(WaterfallStepContext step, CancellationToken token) => Task.FromResult(Dialog.EndOfTurn);

    private static ComponentDialog Checkout(int version, params string[] steps)
    {
        var waterfall = new WaterfallDialog("checkoutSteps", version);
        foreach (var name in steps)
        {
            waterfall.Step(name, Step);
        }
        var component = new ComponentDialog("checkout");
        component.AddDialog(waterfall).AddDialog(new ConfirmPrompt("confirm"));
        return component;
    }

    [Fact]
    public void The_snapshot_lists_every_dialog_by_path_with_kind_version_and_steps()
    {
        Assert.Equal(
            """
            {
              "dialogs": [
                {"path":"checkout","kind":"ComponentDialog","version":1,"steps":[]},
                {"path":"checkout/checkoutSteps","kind":"WaterfallDialog","version":1,"steps":["preview","confirm","pay"]},
                {"path":"checkout/confirm","kind":"ConfirmPrompt<Boolean>","version":1,"steps":[]}
              ]
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            DialogSnapshot.Render([Checkout(1, "preview", "confirm", "pay")]));
    }

    [Fact]
    public void A_step_change_without_a_version_bump_fails_with_what_to_do()
    {
        DialogSnapshot.Verify([Checkout(1, "preview", "confirm", "pay")], _file, update: true);

        var error = Assert.Throws<DialogSnapshotException>(() => DialogSnapshot.Verify([Checkout(1, "preview", "terms", "confirm", "pay")], _file));
        Assert.Contains(
            "The step list of 'checkout/checkoutSteps' changed but its version did not (still 1): was [preview, confirm, pay], now [preview, terms, confirm, pay]. " +
            "A conversation saved in the old steps would resume at the wrong step: bump the version and update the snapshot.",
            error.Message,
            StringComparison.Ordinal);

        // Updating the file does not paper over it.
        Assert.Throws<DialogSnapshotException>(() => DialogSnapshot.Verify([Checkout(1, "preview", "terms", "confirm", "pay")], _file, update: true));
        Assert.DoesNotContain("terms", File.ReadAllText(_file), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bumped_version_asks_for_the_snapshot_update_and_then_passes()
    {
        DialogSnapshot.Verify([Checkout(1, "preview", "confirm", "pay")], _file, update: true);

        var error = Assert.Throws<DialogSnapshotException>(() => DialogSnapshot.Verify([Checkout(2, "preview", "terms", "confirm", "pay")], _file));
        Assert.Contains("'checkout/checkoutSteps' is version 2 but the snapshot records 1: update the snapshot.", error.Message, StringComparison.Ordinal);
        Assert.Contains("DIALOG_SNAPSHOT_UPDATE=1", error.Message, StringComparison.Ordinal);

        DialogSnapshot.Verify([Checkout(2, "preview", "terms", "confirm", "pay")], _file, update: true);
        DialogSnapshot.Verify([Checkout(2, "preview", "terms", "confirm", "pay")], _file);
    }

    [Fact]
    public void Kind_changes_lowered_versions_and_added_or_removed_dialogs_are_reported()
    {
        DialogSnapshot.Verify([Checkout(2, "preview", "confirm")], _file, update: true);

        var swapped = new ComponentDialog("checkout");
        swapped.AddDialog(new WaterfallDialog("checkoutSteps", 1).Step("preview", Step).Step("confirm", Step)).AddDialog(new TextPrompt("confirm")).AddDialog(new TextPrompt("notes"));
        var problems = DialogSnapshot.Compare(DialogSnapshot.Parse(File.ReadAllText(_file)), DialogSnapshot.Describe([swapped]));

        Assert.Collection(
            problems,
            p => Assert.Equal("The version of 'checkout/checkoutSteps' went down from 2 to 1: conversations saved at version 1 before may have other steps. Use a version above 2.", p.Message),
            p => Assert.Equal("'checkout/confirm' changed from ConfirmPrompt<Boolean> to TextPrompt<String> but its version did not (still 1): saved state of the old kind would be read by the new one. Bump the version and update the snapshot.", p.Message),
            p => Assert.Equal("Dialog 'checkout/notes' (TextPrompt<String> v1) is new and not in the snapshot: update the snapshot.", p.Message));
        Assert.All(problems.Take(2), p => Assert.True(p.NeedsVersionBump));

        var removed = DialogSnapshot.Compare(DialogSnapshot.Parse(File.ReadAllText(_file)), DialogSnapshot.Describe([new ComponentDialog("checkout")]));
        Assert.Contains(removed, p => p.Message.StartsWith("Dialog 'checkout/checkoutSteps' is in the snapshot but no longer exists", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_snapshot_file_fails_until_created()
    {
        var error = Assert.Throws<DialogSnapshotException>(() => DialogSnapshot.Verify([Checkout(1, "a")], _file));
        Assert.StartsWith($"There is no dialog snapshot at {_file}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dialogs_can_come_from_a_container()
    {
        using var services = new ServiceCollection()
            .AddSingleton<Dialog>(_ => Checkout(1, "preview", "confirm", "pay"))
            .AddSingleton<Dialog>(_ => SampleDialogs.Payment())
            .BuildServiceProvider();
        var paths = DialogSnapshot.Describe(DialogSnapshot.FromServices(services)).Select(e => e.Path);
        Assert.Equal(["checkout", "checkout/checkoutSteps", "checkout/confirm", "payment"], paths);
    }
}
