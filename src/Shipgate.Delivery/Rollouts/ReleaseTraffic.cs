using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// One release's live traffic during a canary (or one side of a flag ramp: <see cref="OfFlag"/>), from the edge's counters: the request rate over the last look, and the
/// error rate and latency quantiles since the canary began (quantiles are the upper bound of the histogram bucket
/// they fall in, so they are never understated).
/// </summary>
public sealed record ReleaseTraffic(
    string Version, string Role, int Permille, double RequestsPerSecond, long Requests, double ErrorRate, double? P50Ms, double? P99Ms)
{
    /// <summary>The traffic of <paramref name="version"/> between two cumulative snapshots (primary traffic only).</summary>
    public static ReleaseTraffic Between(
        EdgeMetricsSnapshot start, EdgeMetricsSnapshot previous, EdgeMetricsSnapshot now, string environment, string service, string version, string role, int permille) =>
        Between(start, previous, now, version, role, permille, snapshot =>
            snapshot.Releases.FirstOrDefault(r => !r.Mirrored && r.Environment == environment && r.Service == service && r.Version == version));

    /// <summary>
    /// A flag ramp's side between two snapshots: the answers of <paramref name="subject"/>'s release that named its flag
    /// with another variant than the control (<paramref name="on"/>) or with the control; labelled <c>KEY on</c> or <c>KEY off</c>.
    /// </summary>
    public static ReleaseTraffic OfFlag(
        EdgeMetricsSnapshot start, EdgeMetricsSnapshot previous, EdgeMetricsSnapshot now, CanarySubject subject, bool on, int permille) =>
        Between(start, previous, now, $"{subject.Flag!.Key} {(on ? "on" : "off")}", on ? "flag-on" : "flag-off", permille, snapshot =>
            ReleaseCounts.OfFlag(snapshot, subject, on) is { Answered: > 0 } counts
                ? new EdgeReleaseMetrics
                {
                    Environment = subject.Environment,
                    Service = subject.Service,
                    Version = subject.CanaryVersion,
                    Requests = counts.Answered,
                    Status5xx = counts.Errors,
                    Latency = counts.Latency,
                }
                : null);

    private static ReleaseTraffic Between(
        EdgeMetricsSnapshot start, EdgeMetricsSnapshot previous, EdgeMetricsSnapshot now, string version, string role, int permille, Func<EdgeMetricsSnapshot, EdgeReleaseMetrics?> of)
    {
        var (first, last, current) = (of(start), of(previous), of(now));
        var requests = (current?.Requests ?? 0) - (first?.Requests ?? 0);
        var errors = Errors(current) - Errors(first);
        var seconds = (now.TakenAt - previous.TakenAt).TotalSeconds;
        var rate = seconds > 0 ? ((current?.Requests ?? 0) - (last?.Requests ?? 0)) / seconds : 0;
        var buckets = (current?.Latency ?? [])
            .Select(b => (b.UpperMicros, Count: b.Count - (first?.Latency.FirstOrDefault(f => f.UpperMicros == b.UpperMicros)?.Count ?? 0)))
            .ToList();
        var errorRate = requests == 0 ? 0 : (double)errors / requests;
        return new ReleaseTraffic(version, role, permille, Math.Round(rate, 1), requests, errorRate, Quantile(buckets, 0.5), Quantile(buckets, 0.99));
    }

    private static long Errors(EdgeReleaseMetrics? metrics) => metrics is null ? 0 : metrics.Status5xx + metrics.TransportErrors + metrics.Timeouts;

    private static double? Quantile(List<(long UpperMicros, long Count)> buckets, double q)
    {
        var total = buckets.Sum(b => b.Count);
        if (total == 0)
        {
            return null;
        }

        var seen = 0L;
        foreach (var (upper, count) in buckets.OrderBy(b => b.UpperMicros))
        {
            seen += count;
            if (seen >= q * total)
            {
                return upper / 1000.0;
            }
        }

        return buckets.Max(b => b.UpperMicros) / 1000.0;
    }
}
