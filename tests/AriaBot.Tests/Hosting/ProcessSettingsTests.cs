using System.Text.Json;

namespace AriaBot.Tests.Hosting;

/// <summary>
/// The runtime settings the bot ships with (issue 22), read from the runtimeconfig the build writes next to it: a
/// setting adopted after a measurement must not silently fall back to the SDK's default.
/// </summary>
public sealed class ProcessSettingsTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "AriaBot.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void Idle_thread_pool_workers_do_not_spin()
    {
        // Less CPU per turn on 2 cores (AriaBot.csproj says by how much); the runtime's default would be 70.
        var limit = ConfigProperties().GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");
        // The SDK writes a numeric value as a number; the runtime reads a string too.
        Assert.Equal("0", limit.ValueKind == JsonValueKind.String ? limit.GetString() : limit.GetRawText());
    }

    [Fact]
    public void The_bot_keeps_server_gc()
    {
        // Measured against workstation GC and kept: less CPU per turn for a little more resident memory (AriaBot.csproj).
        Assert.True(ConfigProperties().GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public void Server_gc_keeps_a_small_gen0_budget()
    {
        // Uncapped, Server GC kept ~120 MB committed but free after 10,000 conversations (AriaBot.csproj, bench/README.md).
        var budget = ConfigProperties().GetProperty("System.GC.Gen0MaxBudget");
        var bytes = long.Parse(budget.ValueKind == JsonValueKind.String ? budget.GetString()! : budget.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(bytes, 1L << 20, 16L << 20);
    }
}
