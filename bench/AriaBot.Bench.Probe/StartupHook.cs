using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before Main when DOTNET_STARTUP_HOOKS names this assembly. When BENCH_PROBE names a Unix socket
/// path, it answers every connection with one line, "allocatedBytes cpuMilliseconds workingSetBytes", read inside the
/// process: GC.GetTotalAllocatedBytes is the only exact allocation count and it cannot be read from outside. The bench
/// reads it at the start and the end of a measured window; the difference divided by the turns is bytes per turn.
/// The type must be called StartupHook, in no namespace, with a static Initialize (the runtime's contract).
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("BENCH_PROBE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        // A plain background thread: nothing of the server's own thread pool or start-up is touched.
        new Thread(() => Serve(listener)) { IsBackground = true, Name = "bench-probe" }.Start();
    }

    private static void Serve(Socket listener)
    {
        while (true)
        {
            using var connection = listener.Accept();
            using var process = Process.GetCurrentProcess();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{GC.GetTotalAllocatedBytes(precise: true)} {process.TotalProcessorTime.TotalMilliseconds:F1} {process.WorkingSet64}\n");
            connection.Send(Encoding.ASCII.GetBytes(line));
            connection.Shutdown(SocketShutdown.Both);
        }
    }
}
