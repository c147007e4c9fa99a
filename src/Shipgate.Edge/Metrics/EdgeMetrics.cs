using System.Collections.Concurrent;
using System.Globalization;
using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Metrics;

/// <summary>
/// The per-release counters and latency histograms the proxy records, cumulative since the edge started, keyed by
/// environment, service, version and whether the traffic was mirrored. The hot path holds a
/// <see cref="ReleaseCounters"/> per release (resolved once per route table) and updates it without locks.
/// </summary>
public sealed class EdgeMetrics(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Environment, string Service, string Version, bool Mirrored), ReleaseCounters> _releases = new();

    /// <summary>Every release's counters now.</summary>
    public EdgeMetricsSnapshot Snapshot() => new()
    {
        TakenAt = time.GetUtcNow(),
        Releases = [.. ReadAll().Select(ToJson)],
    };

    /// <summary>
    /// The same as Prometheus text (exposition format 0.0.4) for the admin listener's <c>/metrics</c>: counters
    /// <c>shipgate_edge_requests_total</c>, <c>shipgate_edge_responses_total</c> (label <c>class</c>),
    /// <c>shipgate_edge_transport_errors_total</c>, <c>shipgate_edge_timeouts_total</c>,
    /// <c>shipgate_edge_abandoned_total</c>, the gauge <c>shipgate_edge_in_flight</c> and the histogram
    /// <c>shipgate_edge_request_duration_seconds</c>, each labelled service, environment, version and mirrored; per
    /// flag and variant the answers' <c>X-Shipgate-Flags</c> named (labels <c>flag</c> and <c>variant</c> too):
    /// <c>shipgate_edge_flag_requests_total</c>, <c>shipgate_edge_flag_responses_total</c> (label <c>class</c>) and the
    /// histogram <c>shipgate_edge_flag_request_duration_seconds</c>; and for a mirror that compares answers,
    /// <c>shipgate_edge_mirror_compared_total</c>, <c>shipgate_edge_mirror_mismatched_total</c>,
    /// <c>shipgate_edge_mirror_mismatches_total</c> (label <c>difference</c>: status, latency, body) and
    /// <c>shipgate_edge_mirror_not_compared_total</c>.
    /// </summary>
    public void WritePrometheus(TextWriter writer)
    {
        var all = ReadAll();
        Family(writer, all, "requests_total", "counter", "Requests finished.", (w, l, r) => Sample(w, "requests_total", l, r.Requests));
        Family(writer, all, "responses_total", "counter", "Requests the instance answered, by status class.",
            (w, l, r) => StatusClasses(w, "responses_total", l, r.StatusClasses));
        Family(writer, all, "transport_errors_total", "counter", "Requests the instance never answered (the client got 502).",
            (w, l, r) => Sample(w, "transport_errors_total", l, r.TransportErrors));
        Family(writer, all, "timeouts_total", "counter", "Requests the instance did not answer in time (the client got 504).",
            (w, l, r) => Sample(w, "timeouts_total", l, r.Timeouts));
        Family(writer, all, "abandoned_total", "counter", "Requests the client abandoned before the answer.",
            (w, l, r) => Sample(w, "abandoned_total", l, r.Abandoned));
        Family(writer, all, "in_flight", "gauge", "Requests being forwarded now.", (w, l, r) => Sample(w, "in_flight", l, r.InFlight));
        Family(writer, all, "request_duration_seconds", "histogram", "Time from the request's arrival to the answer's headers.",
            (w, l, r) => Histogram(w, "request_duration_seconds", l, r.Buckets, r.SumMicros));
        Family(writer, all, "flag_requests_total", "counter", "Answers whose X-Shipgate-Flags named the flag and variant.",
            (w, l, r) => ForEachFlag(r.Flags, l, (f, fl) => Sample(w, "flag_requests_total", fl, f.Requests)));
        Family(writer, all, "flag_responses_total", "counter", "Answers whose X-Shipgate-Flags named the flag and variant, by status class.",
            (w, l, r) => ForEachFlag(r.Flags, l, (f, fl) => StatusClasses(w, "flag_responses_total", fl, f.StatusClasses)));
        Family(writer, all, "flag_request_duration_seconds", "histogram", "Latency of the answers whose X-Shipgate-Flags named the flag and variant.",
            (w, l, r) => ForEachFlag(r.Flags, l, (f, fl) => Histogram(w, "flag_request_duration_seconds", fl, f.Buckets, f.SumMicros)));

        var compared = all.Where(r => r.Comparison is not null).ToList();
        if (compared.Count == 0)
        {
            return;
        }

        Family(writer, compared, "mirror_compared_total", "counter", "Mirrored answers compared with the primary answer.",
            (w, l, r) => Sample(w, "mirror_compared_total", l, r.Comparison!.Compared));
        Family(writer, compared, "mirror_mismatched_total", "counter", "Compared mirrored answers that differed in any way.",
            (w, l, r) => Sample(w, "mirror_mismatched_total", l, r.Comparison!.Mismatched));
        Family(writer, compared, "mirror_mismatches_total", "counter", "Compared mirrored answers that differed, by difference.", (w, l, r) =>
        {
            Sample(w, "mirror_mismatches_total", l + ",difference=\"status\"", r.Comparison!.StatusMismatches);
            Sample(w, "mirror_mismatches_total", l + ",difference=\"latency\"", r.Comparison.LatencyMismatches);
            Sample(w, "mirror_mismatches_total", l + ",difference=\"body\"", r.Comparison.BodyMismatches);
        });
        Family(writer, compared, "mirror_not_compared_total", "counter",
            "Mirrored answers not compared (the primary failed or was abandoned, a body was over the bound or not decodable).",
            (w, l, r) => Sample(w, "mirror_not_compared_total", l, r.Comparison!.NotCompared));
    }

    /// <summary>The counters of one release's primary or mirrored traffic, created on first use.</summary>
    internal ReleaseCounters For(string environment, string service, string version, bool mirrored) =>
        _releases.GetOrAdd(
            (environment, service, version, mirrored),
            static k => new ReleaseCounters(k.Environment, k.Service, k.Version, k.Mirrored));

    private List<ReleaseCountersSnapshot> ReadAll() =>
    [
        .. _releases.Values
            .OrderBy(r => r.Environment, StringComparer.Ordinal)
            .ThenBy(r => r.Service, StringComparer.Ordinal)
            .ThenBy(r => r.Version, StringComparer.Ordinal)
            .ThenBy(r => r.Mirrored)
            .Select(r => r.Read()),
    ];

    private static EdgeReleaseMetrics ToJson(ReleaseCountersSnapshot r) => new()
    {
        Environment = r.Release.Environment,
        Service = r.Release.Service,
        Version = r.Release.Version,
        Mirrored = r.Release.Mirrored,
        Requests = r.Requests,
        Status1xx = r.StatusClasses[0],
        Status2xx = r.StatusClasses[1],
        Status3xx = r.StatusClasses[2],
        Status4xx = r.StatusClasses[3],
        Status5xx = r.StatusClasses[4],
        TransportErrors = r.TransportErrors,
        Timeouts = r.Timeouts,
        Abandoned = r.Abandoned,
        InFlight = r.InFlight,
        Latency = Latency(r.Buckets),
        Comparison = r.Comparison,
        Flags = [.. r.Flags.Select(f => new EdgeFlagMetrics
        {
            Key = f.Key,
            Variant = f.Variant,
            Requests = f.Requests,
            Status1xx = f.StatusClasses[0],
            Status2xx = f.StatusClasses[1],
            Status3xx = f.StatusClasses[2],
            Status4xx = f.StatusClasses[3],
            Status5xx = f.StatusClasses[4],
            Latency = Latency(f.Buckets),
        })],
    };

    private static List<EdgeHistogramBucket> Latency(long[] buckets) =>
        [.. LatencyBuckets.UpperMicros.Select((bound, i) => new EdgeHistogramBucket(bound, buckets[i]))];

    private static void Family(
        TextWriter writer,
        List<ReleaseCountersSnapshot> releases,
        string name,
        string type,
        string help,
        Action<TextWriter, string, ReleaseCountersSnapshot> samples)
    {
        writer.Write("# HELP shipgate_edge_" + name + " " + help + "\n# TYPE shipgate_edge_" + name + " " + type + "\n");
        foreach (var release in releases)
        {
            samples(writer, Labels(release.Release), release);
        }
    }

    private static void ForEachFlag(IReadOnlyList<FlagCountersSnapshot> flags, string labels, Action<FlagCountersSnapshot, string> samples)
    {
        foreach (var flag in flags)
        {
            samples(flag, labels + ",flag=\"" + Escape(flag.Key) + "\",variant=\"" + Escape(flag.Variant) + "\"");
        }
    }

    private static void StatusClasses(TextWriter writer, string name, string labels, long[] classes)
    {
        for (var i = 0; i < classes.Length; i++)
        {
            Sample(writer, name, labels + ",class=\"" + (i + 1) + "xx\"", classes[i]);
        }
    }

    private static void Histogram(TextWriter writer, string name, string labels, long[] buckets, long sumMicros)
    {
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
            var bound = LatencyBuckets.UpperMicros[i];
            var le = bound == long.MaxValue ? "+Inf" : (bound / 1e6).ToString("0.######", CultureInfo.InvariantCulture);
            Sample(writer, name + "_bucket", labels + ",le=\"" + le + "\"", cumulative);
        }

        writer.Write("shipgate_edge_" + name + "_sum{" + labels + "} ");
        writer.Write((sumMicros / 1e6).ToString("0.######", CultureInfo.InvariantCulture));
        writer.Write('\n');
        Sample(writer, name + "_count", labels, cumulative);
    }

    private static void Sample(TextWriter writer, string name, string labels, long value)
    {
        writer.Write("shipgate_edge_" + name + "{" + labels + "} ");
        writer.Write(value.ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
    }

    private static string Labels(ReleaseCounters r) =>
        "service=\"" + Escape(r.Service) + "\",environment=\"" + Escape(r.Environment) + "\",version=\"" + Escape(r.Version)
        + "\",mirrored=\"" + (r.Mirrored ? "true" : "false") + "\"";

    // The exposition format escapes backslash, double quote and line feed in label values.
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
