using HdrHistogram;

namespace Shipgate.Edge.Metrics;

/// <summary>
/// One release's cumulative counters (primary or mirrored traffic), updated with interlocked operations and a
/// concurrent HdrHistogram, so the hot path takes no lock. <see cref="Requests"/> counts finished requests: each is
/// in exactly one of the status classes, transport errors, timeouts or abandoned requests.
/// </summary>
internal sealed class ReleaseCounters(string environment, string service, string version, bool mirrored)
{
    // 1 µs to 1 hour at 2 significant digits (1% resolution): about 24 KB per release.
    private const long HighestMicros = 3_600_000_000;

    private readonly LongConcurrentHistogram _latency = new(1, HighestMicros, 2);
    private long _requests;
    private long _status1xx;
    private long _status2xx;
    private long _status3xx;
    private long _status4xx;
    private long _status5xx;
    private long _transportErrors;
    private long _timeouts;
    private long _abandoned;
    private long _inFlight;
    private long _sumMicros;
    private ComparisonCounters? _comparison;

    public string Environment { get; } = environment;

    public string Service { get; } = service;

    public string Version { get; } = version;

    public bool Mirrored { get; } = mirrored;

    /// <summary>The answers' <c>X-Shipgate-Flags</c>, per flag and variant (primary traffic only: a mirror's are never counted).</summary>
    public FlagCounters Flags { get; } = new();

    public long Requests => Volatile.Read(ref _requests);

    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The comparison with the primary answers, created when a comparing mirror first copies here; null before.</summary>
    public ComparisonCounters? Comparison => Volatile.Read(ref _comparison);

    public ComparisonCounters Compare() => LazyInitializer.EnsureInitialized(ref _comparison);

    public void Started() => Interlocked.Increment(ref _inFlight);

    /// <summary>The instance answered with <paramref name="status"/> after <paramref name="micros"/>.</summary>
    public void Answered(int status, long micros)
    {
        switch (status / 100)
        {
            case 1: Interlocked.Increment(ref _status1xx); break;
            case 2: Interlocked.Increment(ref _status2xx); break;
            case 3: Interlocked.Increment(ref _status3xx); break;
            case 4: Interlocked.Increment(ref _status4xx); break;
            default: Interlocked.Increment(ref _status5xx); break;
        }

        Finished(micros);
    }

    /// <summary>No answer: the connection failed or was reset (the client got 502).</summary>
    public void TransportError(long micros)
    {
        Interlocked.Increment(ref _transportErrors);
        Finished(micros);
    }

    /// <summary>No answer in time (the client got 504).</summary>
    public void TimedOut(long micros)
    {
        Interlocked.Increment(ref _timeouts);
        Finished(micros);
    }

    /// <summary>The client went away before the answer.</summary>
    public void Abandon(long micros)
    {
        Interlocked.Increment(ref _abandoned);
        Finished(micros);
    }

    public ReleaseCountersSnapshot Read()
    {
        var buckets = new long[LatencyBuckets.UpperMicros.Length];
        var copy = _latency.Copy();
        foreach (var value in copy.RecordedValues())
        {
            // Each recorded bin counts under the bucket of its lowest value, so a bound is exact to the bin (1%).
            buckets[LatencyBuckets.IndexOf(copy.LowestEquivalentValue(value.ValueIteratedTo))] += value.CountAtValueIteratedTo;
        }

        return new ReleaseCountersSnapshot(
            this,
            Volatile.Read(ref _requests),
            [Volatile.Read(ref _status1xx), Volatile.Read(ref _status2xx), Volatile.Read(ref _status3xx),
                Volatile.Read(ref _status4xx), Volatile.Read(ref _status5xx)],
            Volatile.Read(ref _transportErrors),
            Volatile.Read(ref _timeouts),
            Volatile.Read(ref _abandoned),
            Volatile.Read(ref _inFlight),
            Volatile.Read(ref _sumMicros),
            buckets,
            Comparison?.Read(),
            Flags.Read());
    }

    private void Finished(long micros)
    {
        micros = Math.Clamp(micros, 1, HighestMicros);
        _latency.RecordValue(micros);
        Interlocked.Add(ref _sumMicros, micros);
        Interlocked.Increment(ref _requests);
        Interlocked.Decrement(ref _inFlight);
    }
}
