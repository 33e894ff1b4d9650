using System.Runtime.CompilerServices;
using AriaBot.Conversation;
using AriaBot.Shell;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Shell;

/// <summary>
/// Every dialog of the assistant (the main dialog and all it contains) against the committed snapshot: changing a
/// dialog's steps without bumping its version would strand saved conversations after a redeploy, so it fails here.
/// Regenerate after a deliberate, versioned change with <c>DIALOG_SNAPSHOT_UPDATE=1</c>.
/// </summary>
public sealed class DialogSnapshotTests
{
    [Fact]
    public async Task The_assistants_dialogs_match_the_snapshot()
    {
        await using var host = new AssistantTestHost();
        DialogSnapshot.Verify([host.Services.GetRequiredService<MainDialog>()], Path.Combine(SourceFolder(), "dialog-snapshot.json"));
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
