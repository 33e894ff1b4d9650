using System.Diagnostics.Tracing;

/// <summary>
/// The number of heaps the GC used in its latest collection, and how often that number has changed. Why the probe needs
/// it: with Server GC the runtime adapts the heap count to the load (DATAS, on by default since .NET 9), and in .NET 10
/// GC.GetTotalAllocatedBytes sums the per-heap counters of the heaps active now only — a heap taken out of use takes
/// everything it ever counted out of the total (it comes back when the heap is used again; dotnet/runtime PR 131069
/// fixes this upstream). A window across which the heap count changed can therefore read gigabytes too few (a negative
/// "KB/turn" once the load drops, as on the paced 300/s lines) or too many. With the same heap count at both ends the
/// same heaps are counted at both ends, and the difference is exact. Read from the GC's own per-collection event
/// (GCGlobalHeapHistory, NumHeaps), at Informational level: a handful of events per collection, no allocation sampling.
/// </summary>
internal sealed class HeapCountWatch : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private int _heaps;
    private int _changes;

    /// <summary>The latest collection's heap count, 0 before the first collection.</summary>
    public int Heaps => Volatile.Read(ref _heaps);

    public int Changes => Volatile.Read(ref _changes);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Called from the base constructor too, before this class's fields are set: use none here.
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCGlobalHeapHistory", StringComparison.Ordinal)
            || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }
        var index = names.IndexOf("NumHeaps");
        if (index < 0 || payload[index] is not { } value)
        {
            return;
        }
        var heaps = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        var before = Interlocked.Exchange(ref _heaps, heaps);
        if (before != 0 && before != heaps)
        {
            Interlocked.Increment(ref _changes);
        }
    }
}
