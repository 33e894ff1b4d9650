using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;

/// <summary>
/// Where a server's resident memory is, read inside it once a measurement is over: the resident set (anonymous and
/// file-backed), what the GC has committed and how much of it is free, the live managed heap after a full blocking
/// compacting collection, what an aggressive collection gives back to the system, and code the JIT compiled. What is
/// anonymous but not the GC's is native: the runtime's own structures, JIT code, thread stacks, native buffers.
/// It changes the process (the collections), so it is read last.
/// </summary>
internal static class MemoryReport
{
    public static string Take()
    {
        var text = new StringBuilder();
        void Line(string what, double bytes) =>
            text.Append(CultureInfo.InvariantCulture, $"{what,-44} {bytes / 1048576.0,8:F1} MB\n");

        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Line("resident (VmRSS)", Status("VmRSS"));
        Line("  anonymous (RssAnon)", Status("RssAnon"));
        Line("  file-backed: code and mapped files (RssFile)", Status("RssFile"));
        Line("GC committed", info.TotalCommittedBytes);
        Line("GC heap at the last collection", info.HeapSizeBytes);
        Line("  of it free (fragmentation)", info.FragmentedBytes);
        for (var generation = 0; generation < info.GenerationInfo.Length; generation++)
        {
            Line($"  generation {(generation < 3 ? generation.ToString(CultureInfo.InvariantCulture) : generation == 3 ? "LOH" : "POH")} after it", info.GenerationInfo[generation].SizeAfterBytes);
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Line("live managed heap (full compacting GC)", GC.GetTotalMemory(forceFullCollection: false));
        Line("GC committed after it", GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);
        Line("resident after it", Status("VmRSS"));
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Line("GC committed after an aggressive GC", GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);
        Line("resident after it", Status("VmRSS"));
        Line("  anonymous after it", Status("RssAnon"));
        Line("  anonymous, not the GC's (native, JIT code, stacks)", Status("RssAnon") - GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);
        Line("IL compiled by the JIT", System.Runtime.JitInfo.GetCompiledILBytes());
        using var process = Process.GetCurrentProcess();
        text.Append(CultureInfo.InvariantCulture,
            $"{"methods compiled / threads",-44} {System.Runtime.JitInfo.GetCompiledMethodCount(),8} / {process.Threads.Count}\n");
        return text.ToString();
    }

    /// <summary>A "Name: N kB" line of /proc/self/status, in bytes (0 when absent).</summary>
    private static double Status(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }
}
