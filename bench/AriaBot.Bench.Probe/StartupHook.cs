using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before Main when DOTNET_STARTUP_HOOKS names this assembly. When BENCH_PROBE names a Unix socket
/// path, it answers every connection with one line, "allocatedBytes cpuMilliseconds workingSetBytes gcHeaps
/// gcHeapChanges", read inside the process: GC.GetTotalAllocatedBytes is the only exact allocation count and it cannot
/// be read from outside. The bench reads it at the start and the end of a measured window; the difference divided by
/// the turns is bytes per turn — but only when the GC's heap count is the same at both ends (see HeapCountWatch).
/// A second socket, BENCH_PROBE + ".memory", answers where the process's memory is (MemoryReport): it forces a full
/// compacting GC, so the bench asks it only once a measurement is over.
/// The type must be called StartupHook, in no namespace, with a static Initialize (the runtime's contract).
/// </summary>
internal static class StartupHook
{
    private static HeapCountWatch? _heaps;

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("BENCH_PROBE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        _heaps = new HeapCountWatch();
        Listen(path, Sample);
        Listen(path + ".memory", MemoryReport.Take);
    }

    private static void Listen(string path, Func<string> answer)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        // A plain background thread: nothing of the server's own thread pool or start-up is touched.
        new Thread(() => Serve(listener, answer)) { IsBackground = true, Name = "bench-probe" }.Start();
    }

    private static string Sample()
    {
        using var process = Process.GetCurrentProcess();
        var heaps = _heaps!;
        return string.Create(CultureInfo.InvariantCulture,
            $"{GC.GetTotalAllocatedBytes(precise: true)} {process.TotalProcessorTime.TotalMilliseconds:F1} {process.WorkingSet64} {heaps.Heaps} {heaps.Changes}\n");
    }

    private static void Serve(Socket listener, Func<string> answer)
    {
        while (true)
        {
            using var connection = listener.Accept();
            connection.Send(Encoding.ASCII.GetBytes(answer()));
            connection.Shutdown(SocketShutdown.Both);
        }
    }
}
