using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Tests.Analysis;

/// <summary>
/// An edge whose metrics are simulated: <see cref="Advance"/> sends a Poisson number of requests at
/// <see cref="RequestsPerSecond"/>, each to the canary with probability <see cref="CanaryWeight"/>, failing with its
/// release's error rate and taking a log-normal latency into the edge's buckets; <see cref="GetMetricsAsync"/> returns
/// the cumulative counters as the real edge does. Seeded, so a run is reproducible. Shared with
/// bench/Shipgate.Benchmarks (the canary analysis simulation), which links this file.
/// </summary>
public sealed class SimulatedEdge(CanarySubject subject, int seed) : IEdgeClient
{
    /// <summary>The edge's bucket layout (src/Shipgate.Edge/Metrics/LatencyBuckets.cs), in microseconds.</summary>
    public static readonly long[] Buckets =
    [
        100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000, long.MaxValue,
    ];

    private readonly Random _random = new(seed);
    private readonly Counters _stable = new();
    private readonly Counters _canary = new();

    public double RequestsPerSecond { get; set; } = 200;

    /// <summary>The canary's share of requests, 0 to 1.</summary>
    public double CanaryWeight { get; set; } = 0.1;

    public double StableErrorRate { get; set; } = 0.005;

    public double CanaryErrorRate { get; set; } = 0.005;

    /// <summary>Median latencies in milliseconds (log-normal, σ = 0.5).</summary>
    public double StableMedianMs { get; set; } = 20;

    public double CanaryMedianMs { get; set; } = 20;

    /// <summary>Share of requests the client abandons (neither errors nor answers).</summary>
    public double AbandonedRate { get; set; }

    public bool CanaryCrashLooping { get; set; }

    /// <summary>Set to make every call throw <see cref="EdgeUnavailableException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Calls of <see cref="GetMetricsAsync"/> so far.</summary>
    public int MetricsReads { get; private set; }

    public DateTimeOffset Now { get; private set; } = DateTimeOffset.UnixEpoch;

    /// <summary>Simulates <paramref name="seconds"/> of traffic.</summary>
    public void Advance(double seconds = 1)
    {
        Now += TimeSpan.FromSeconds(seconds);
        var requests = Poisson(RequestsPerSecond * seconds);
        for (long i = 0; i < requests; i++)
        {
            var canary = _random.NextDouble() < CanaryWeight;
            (canary ? _canary : _stable).Add(this, canary ? CanaryErrorRate : StableErrorRate, canary ? CanaryMedianMs : StableMedianMs);
        }
    }

    /// <summary>Adds exactly these counts, for tests that need known numbers: every request at 1 ms.</summary>
    public void Add(bool canary, long answered, long errors)
    {
        var counters = canary ? _canary : _stable;
        counters.Requests += answered;
        counters.Errors += errors;
        counters.Latency[Array.IndexOf(Buckets, 1_000)] += answered;
    }

    /// <summary>Starts every counter from zero again, as a restarted edge does.</summary>
    public void Restart()
    {
        foreach (var counters in new[] { _stable, _canary })
        {
            (counters.Requests, counters.Errors, counters.Abandoned) = (0, 0, 0);
            Array.Clear(counters.Latency);
        }
    }

    public Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        MetricsReads++;
        return Task.FromResult(new EdgeMetricsSnapshot
        {
            TakenAt = Now,
            Releases = [_stable.Metrics(subject, subject.StableVersion), _canary.Metrics(subject, subject.CanaryVersion)],
        });
    }

    public Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return Task.FromResult<EdgeServiceStatus?>(new EdgeServiceStatus
        {
            Environment = environment,
            Service = service,
            Spec = new EdgeServiceSpec(),
            Releases =
            [
                Release(subject.StableVersion, crashLooping: false),
                Release(subject.CanaryVersion, CanaryCrashLooping),
            ],
        });
    }

    /// <summary>The proxy's address <see cref="GetInfoAsync"/> reports.</summary>
    public string ListenAddress { get; set; } = "http://127.0.0.1:1";

    public Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return Task.FromResult(new EdgeInfo
        {
            Version = "simulated",
            Pid = Environment.ProcessId,
            Listen = [ListenAddress],
            StateDirectory = "/nonexistent",
            StartedAt = DateTimeOffset.UnixEpoch,
        });
    }

    public Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<EdgeServiceStatus> PutServiceAsync(string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<EdgeReleaseStatus> PutReleaseAsync(string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<EdgeServiceStatus> SetRoutingAsync(string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<string> ReadLogsAsync(string environment, string service, string? version, int tail, bool follow, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    private static EdgeReleaseStatus Release(string version, bool crashLooping) => new()
    {
        Version = version,
        ArtifactDigest = "sha256:" + new string('0', 64),
        Command = "serve",
        Instances = 1,
        CrashLooping = crashLooping,
        InstanceStatuses =
        [
            new EdgeInstanceStatus
            {
                Id = version + "-1",
                State = crashLooping ? EdgeInstanceState.Crashed : EdgeInstanceState.Healthy,
                Crashes = crashLooping ? 5 : 0,
                LastError = crashLooping ? "The instance exited with code 1 right after it started." : null,
            },
        ],
    };

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new EdgeUnavailableException("The edge's admin socket refused the connection.");
        }
    }

    /// <summary>Poisson draws by Knuth's method in pieces of mean at most 30, so that e^-mean never underflows.</summary>
    private long Poisson(double mean)
    {
        long count = 0;
        while (mean > 0)
        {
            var piece = Math.Min(mean, 30);
            mean -= piece;
            var limit = Math.Exp(-piece);
            var product = _random.NextDouble();
            while (product > limit)
            {
                count++;
                product *= _random.NextDouble();
            }
        }

        return count;
    }

    private long LatencyMicros(double medianMs)
    {
        // Box-Muller: one standard normal draw.
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        return (long)(medianMs * 1000 * Math.Exp(0.5 * normal));
    }

    private sealed class Counters
    {
        public long Requests;
        public long Errors;
        public long Abandoned;
        public readonly long[] Latency = new long[Buckets.Length];

        public void Add(SimulatedEdge edge, double errorRate, double medianMs)
        {
            if (edge._random.NextDouble() < edge.AbandonedRate)
            {
                Abandoned++;
                return;
            }

            Requests++;
            if (edge._random.NextDouble() < errorRate)
            {
                Errors++;
            }

            var micros = edge.LatencyMicros(medianMs);
            var bucket = 0;
            while (micros > Buckets[bucket])
            {
                bucket++;
            }

            Latency[bucket]++;
        }

        public EdgeReleaseMetrics Metrics(CanarySubject subject, string version) => new()
        {
            Environment = subject.Environment,
            Service = subject.Service,
            Version = version,
            Requests = Requests + Abandoned,
            Status2xx = Requests - Errors,
            Status5xx = Errors,
            Abandoned = Abandoned,
            Latency = [.. Buckets.Select((upper, i) => new EdgeHistogramBucket(upper, Latency[i]))],
        };
    }
}
