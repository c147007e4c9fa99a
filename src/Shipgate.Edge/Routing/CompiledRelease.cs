using Microsoft.Extensions.Primitives;
using Shipgate.Edge.Metrics;

namespace Shipgate.Edge.Routing;

/// <summary>A release ready to route to: its version as a header value, its healthy endpoints and its counters.</summary>
internal sealed class CompiledRelease(string version, CompiledEndpoint[] endpoints, ReleaseCounters counters)
{
    private int _next = -1;

    public string Version { get; } = version;

    /// <summary>The value of <c>X-Shipgate-Version</c> on its answers, built once.</summary>
    public StringValues VersionHeader { get; } = new(version);

    /// <summary>The same as a header line for the fast path: <c>X-Shipgate-Version: VERSION\r\n</c>.</summary>
    public byte[] VersionHeaderLine { get; } = System.Text.Encoding.ASCII.GetBytes("X-Shipgate-Version: " + version + "\r\n");

    public CompiledEndpoint[] Endpoints { get; } = endpoints;

    public ReleaseCounters Counters { get; } = counters;

    /// <summary>The counters of the copies a mirror sends here; set when the release is a mirror's target.</summary>
    public ReleaseCounters? MirrorCounters { get; init; }

    /// <summary>
    /// The endpoint with the fewest requests in flight, starting the scan round-robin so that idle endpoints take
    /// turns; endpoints whose bit is set in <paramref name="tried"/> are skipped. -1 when none is left.
    /// </summary>
    public int Pick(ulong tried)
    {
        var endpoints = Endpoints;
        var count = Math.Min(endpoints.Length, 64);
        if (count == 0)
        {
            return -1;
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
        var best = -1;
        var bestInFlight = int.MaxValue;
        for (var k = 0; k < count; k++)
        {
            var i = start + k < count ? start + k : start + k - count;
            if ((tried & (1UL << i)) != 0)
            {
                continue;
            }

            var inFlight = endpoints[i].InFlight.Count;
            if (inFlight < bestInFlight)
            {
                best = i;
                bestInFlight = inFlight;
            }
        }

        return best;
    }
}
