using System.Runtime.CompilerServices;
using System.Text.Json;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Upgrade;

/// <summary>
/// State a deployed build left behind, kept as JSON under <c>Upgrade/</c> so a refactor is tested against what is
/// really in a database, not against what the new code would write. Alice (<c>convo1</c>) stopped at a plan switch's
/// preview; Bob (<c>convo2</c>) said yes to his and the process died after Aria committed, before the intent was
/// settled — so his intent is still pending. Only the bot's own records are kept: the session bindings and Aria's
/// side are made again by the test (a binding names a live Aria session, which a fresh sandbox does not have).
/// </summary>
internal static class PreviousBuildState
{
    /// <summary>The instant the state was recorded at; the test's clock starts there so prices and freshness agree.</summary>
    public static readonly DateTimeOffset RecordedAt = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);

    public static readonly BindingKey Alice = new(Channels.Webchat, "convo1", "user1");

    public static readonly BindingKey Bob = new(Channels.Webchat, "convo2", "user2");

    public const string FileName = "previous-build-state.json";

    /// <summary>Key prefixes of what is kept: conversation state and write intents (not bindings, audit, transcripts).</summary>
    private static readonly string[] Kept = ["intents/", "intents-open/", $"{Channels.Webchat}/conversations/"];

    public static string PathOf([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, FileName);

    public static async Task SaveAsync(IStorage storage)
    {
        var items = await storage.ReadPrefixAsync(string.Empty, 10_000);
        var kept = items.Where(item => Kept.Any(prefix => item.Key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary(item => item.Key, item => item.Value.Document);
        await File.WriteAllTextAsync(PathOf(), JsonSerializer.Serialize(kept, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static async Task LoadAsync(IStorage storage)
    {
        var stored = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await File.ReadAllTextAsync(PathOf()))!;
        Assert.NotEmpty(stored);
        await storage.WriteAsync(stored.ToDictionary(item => item.Key, item => new StoreWrite(item.Value, null)));
    }
}

/// <summary>
/// Writes the fixture from the build in the work tree. Run it only on the build whose state the file should hold
/// (<c>RECORD_UPGRADE_STATE=1 dotnet test --filter PreviousBuildStateRecorder</c>), never after changing what is stored.
/// </summary>
public sealed class PreviousBuildStateRecorder
{
    [SkippableFact]
    public async Task Record()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("RECORD_UPGRADE_STATE") == "1", "Records the upgrade fixture on demand only.");
        await using var host = new AssistantTestHost(services: services => services.AddCrashAfterWrite(), start: PreviousBuildState.RecordedAt);

        var alice = host.Conversation(userId: PreviousBuildState.Alice.UserId, conversationId: PreviousBuildState.Alice.ConversationId);
        await host.BindDirectlyAsync(PreviousBuildState.Alice);
        await alice.SayAsync("switch my plan");
        await alice.ClickAsync("Premium");

        var bob = host.Conversation(userId: PreviousBuildState.Bob.UserId, conversationId: PreviousBuildState.Bob.ConversationId);
        await host.BindDirectlyAsync(PreviousBuildState.Bob, "bob", "bob-demo-1");
        await bob.SayAsync("switch my plan");
        await bob.ClickAsync("Premium");
        host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => bob.ClickAsync("Confirm"));

        await PreviousBuildState.SaveAsync(host.Storage);
    }
}
