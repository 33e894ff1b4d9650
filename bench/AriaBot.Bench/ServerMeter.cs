using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// What one server process used during a measured window: CPU time (from /proc, so it works for node too), bytes
/// allocated (from the AriaBot.Bench.Probe startup hook inside a .NET server; absent for node) and the resident set at
/// the end. Read once when the window opens and once when it closes, never during it. GcHeaps/GcHeapChanges: the GC's
/// heap count at the reading and how often it had changed (the probe's HeapCountWatch says why they matter).
/// </summary>
internal sealed record ServerSample(double CpuMilliseconds, long? AllocatedBytes, long RssBytes, int GcHeaps = 0, int GcHeapChanges = 0)
{
    // Linux reports utime/stime in USER_HZ ticks, which is 100 per second on every architecture .NET runs on.
    private const double MillisecondsPerTick = 10;

    public static async Task<ServerSample?> TakeAsync(Options options)
    {
        if (!options.Values.TryGetValue("pid", out var pidText) || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }
        var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat").ConfigureAwait(false);
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed: utime is 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * MillisecondsPerTick;
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status").ConfigureAwait(false);
        var rssKb = status.Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        long? allocated = null;
        int heaps = 0, changes = 0;
        if (options.Values.TryGetValue("probe", out var probe) && File.Exists(probe))
        {
            var parts = (await ReadProbeAsync(probe).ConfigureAwait(false)).Split(' ');
            allocated = long.Parse(parts[0], CultureInfo.InvariantCulture);
            // The process's own reading is finer than /proc's 10 ms ticks.
            cpu = double.Parse(parts[1], CultureInfo.InvariantCulture);
            if (parts.Length >= 5)
            {
                heaps = int.Parse(parts[3], CultureInfo.InvariantCulture);
                changes = int.Parse(parts[4], CultureInfo.InvariantCulture);
            }
        }
        return new ServerSample(cpu, allocated, rssKb * 1024, heaps, changes);
    }

    /// <summary>
    /// KB allocated per turn over the window, or why there is no such figure. GC.GetTotalAllocatedBytes counts only the
    /// heaps the GC uses at the moment (.NET 10, Server GC with DATAS): when the heap count changed between the readings
    /// the difference is off by everything the parked heap ever counted — gigabytes in a long run — so it is refused,
    /// as is any figure below zero (which no count of allocations can be).
    /// </summary>
    public static (double KbPerTurn, string? Unavailable) AllocatedPerTurn(ServerSample? before, ServerSample? after, long turns)
    {
        if (before?.AllocatedBytes is not { } from || after?.AllocatedBytes is not { } to || turns == 0)
        {
            return (double.NaN, null);
        }
        if (after.GcHeapChanges != before.GcHeapChanges)
        {
            return (double.NaN, $"the GC's heap count changed in the window ({before.GcHeaps} -> {after.GcHeaps}, DATAS), so GC.GetTotalAllocatedBytes counted other heaps at each end");
        }
        if (to < from)
        {
            return (double.NaN, $"GC.GetTotalAllocatedBytes went back by {(from - to) / 1048576.0:F0} MB in the window");
        }
        return ((to - from) / 1024.0 / turns, null);
    }

    /// <summary>The probe's memory report (probe path + ".memory"): it forces full collections, so only after measuring.</summary>
    public static async Task<string?> MemoryReportAsync(Options options) =>
        options.Values.TryGetValue("probe", out var probe) && File.Exists(probe + ".memory")
            ? await ReadProbeAsync(probe + ".memory").ConfigureAwait(false)
            : null;

    private static async Task<string> ReadProbeAsync(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).ConfigureAwait(false);
        var buffer = new byte[8192];
        var length = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer.AsMemory(length)).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        return Encoding.ASCII.GetString(buffer, 0, length).Trim();
    }

    /// <summary>"cpu 0.84 ms/turn  alloc 212 KB/turn  rss 180 MB", or empty when the server was not sampled.</summary>
    public static string Describe(ServerSample? before, ServerSample? after, long turns)
    {
        if (before is null || after is null || turns == 0)
        {
            return string.Empty;
        }
        var text = string.Create(CultureInfo.InvariantCulture, $"  cpu {(after.CpuMilliseconds - before.CpuMilliseconds) / turns,5:F2} ms/turn");
        var (allocated, unavailable) = AllocatedPerTurn(before, after, turns);
        if (unavailable is not null)
        {
            text += $"  alloc n/a ({unavailable})";
        }
        else if (!double.IsNaN(allocated))
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  alloc {allocated,6:F1} KB/turn");
        }
        return text + string.Create(CultureInfo.InvariantCulture, $"  rss {after.RssBytes / 1048576.0:F0} MB");
    }

    public static double CpuPerTurn(ServerSample? before, ServerSample? after, long turns) =>
        before is null || after is null || turns == 0 ? double.NaN : (after.CpuMilliseconds - before.CpuMilliseconds) / turns;
}
