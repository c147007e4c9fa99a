using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Shipgate.Benchmarks;

/// <summary>Samples the runtime's allocation ticks (one per ~100 KB allocated) by type, for finding per-request allocations.</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _types = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.PayloadNames is { } names)
        {
            var type = e.Payload![names.IndexOf("TypeName")] as string ?? "?";
            _types.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }

    public void Print()
    {
        foreach (var (type, count) in _types.OrderByDescending(t => t.Value).Take(25))
        {
            Console.WriteLine($"alloc {count,6} {type}");
        }
    }
}
