using System.Collections.Concurrent;
using HdrHistogram.Utilities;

namespace Shipgate.Edge.Routing;

/// <summary>
/// The seam between the supervisor (which knows the desired state and the instances' health) and the proxy (which
/// forwards requests): the supervisor publishes route tables, the proxy reads the current one per request and counts
/// the requests in flight per instance, which the supervisor waits on when it drains an instance.
/// </summary>
public sealed class EdgeRouter
{
    // Kept for every instance ever routed to (ids are VERSION-N, so they are few): a request that picked an
    // instance from an older table still counts where the supervisor looks while it drains that instance.
    private readonly ConcurrentDictionary<string, InFlightCounter> _inFlight = new(StringComparer.Ordinal);
    private readonly WriterReaderPhaser _choosing = new();
    private RouteTable _current = RouteTable.Empty;

    /// <summary>The table requests are routed by now.</summary>
    public RouteTable Current => Volatile.Read(ref _current);

    /// <summary>
    /// Replaces the table; requests that already picked an endpoint finish on it. Returns once every request that
    /// read an older table has picked its endpoint and counts in <see cref="InFlight"/> (a wait of microseconds: the
    /// proxy picks synchronously), so a drain that publishes a table without an instance and then waits for the
    /// instance's count to reach 0 cannot miss a request.
    /// </summary>
    public void Publish(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Volatile.Write(ref _current, table);
        _choosing.ReaderLock();
        try
        {
            _choosing.FlipPhase();
        }
        finally
        {
            _choosing.ReaderUnlock();
        }
    }

    /// <summary>Requests being forwarded to the instance now (0 for an unknown instance).</summary>
    public int InFlight(string instanceId) => _inFlight.TryGetValue(instanceId, out var counter) ? counter.Count : 0;

    /// <summary>The proxy enters before it reads <see cref="Current"/> and leaves once the chosen endpoint counts in flight.</summary>
    internal long EnterChoosing() => _choosing.WriterCriticalSectionEnter();

    internal void ExitChoosing(long phase) => _choosing.WriterCriticalSectionExit(phase);

    /// <summary>The counter the proxy increments while it forwards to the instance.</summary>
    internal InFlightCounter CounterFor(string instanceId) =>
        _inFlight.GetOrAdd(instanceId, static _ => new InFlightCounter());
}
