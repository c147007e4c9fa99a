using System.Formats.Tar;
using System.Runtime.CompilerServices;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>
/// An edge held in memory that keeps to IEdgeClient's documented rules: unknown services and releases are 404,
/// weights that do not add up to 1000 are 400, a weight on a release without a healthy instance or the deletion of
/// a release with a weight is 409, a release of an artifact never uploaded is 404. Instances do what the test said
/// (<see cref="Behave"/>); every routing change is kept in <see cref="RoutingHistory"/>.
/// </summary>
public sealed class FakeEdgeClient : IEdgeClient
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Environment, string Service), FakeService> _services = [];
    private readonly Dictionary<string, FakeReleaseBehaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _uploads = new(StringComparer.Ordinal);

    /// <summary>The stand-in listener smoke checks go to; set by the test.</summary>
    public string ListenAddress { get; set; } = "http://127.0.0.1:1";

    /// <summary>Every routing the fake accepted, in order, as (environment, service, routing).</summary>
    public List<(string Environment, string Service, EdgeRoutingSpec Routing)> RoutingHistory { get; } = [];

    /// <summary>Every release deletion and routing change, in order: <c>delete v2</c>, <c>route v1=900,v2=100</c>.</summary>
    public List<string> Changes { get; } = [];

    /// <summary>What each release writes to its log, by version.</summary>
    public Dictionary<string, IReadOnlyList<string>> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The comparison a mirror's release reports, given how many times the metrics were read before (so a test makes
    /// the counts grow look by look); null: the mirrored entry has none.
    /// </summary>
    public Func<int, EdgeMirrorComparison?>? MirrorComparison { get; set; }

    private int _metricReads;

    /// <summary>
    /// The flag counts a release's primary entry reports, given its version and how many times the metrics were read
    /// before; null: none.
    /// </summary>
    public Func<string, int, IReadOnlyList<EdgeFlagMetrics>>? FlagMetrics { get; set; }

    private int _flagReads;

    /// <summary>Set to make every call throw <see cref="EdgeUnavailableException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Makes the release <paramref name="version"/> (of any service) behave so.</summary>
    public void Behave(string version, FakeReleaseBehaviour behaviour)
    {
        lock (_lock)
        {
            _behaviours[version] = behaviour;
        }
    }

    public FakeReleaseBehaviour BehaviourOf(string version)
    {
        lock (_lock)
        {
            return _behaviours.GetValueOrDefault(version);
        }
    }

    /// <summary>The files of an uploaded artifact, or null.</summary>
    public IReadOnlyList<string>? UploadedFiles(string digest)
    {
        lock (_lock)
        {
            return _uploads.GetValueOrDefault(digest);
        }
    }

    /// <summary>Marks an artifact as present without uploading it (an edge that kept it from before).</summary>
    /// <summary>The spec release <paramref name="version"/> was last declared with, in any service; null if none.</summary>
    public EdgeReleaseSpec? SpecOf(string version) =>
        _services.Values.Select(s => s.Releases.GetValueOrDefault(version)?.Spec).FirstOrDefault(spec => spec is not null);

    public void AddArtifact(string digest)
    {
        lock (_lock)
        {
            _uploads[digest] = [];
        }
    }

    public Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default) => Answer(() => new EdgeInfo
    {
        Version = "test",
        Pid = Environment.ProcessId,
        Listen = [ListenAddress],
        StateDirectory = "/nonexistent",
        StartedAt = DateTimeOffset.UnixEpoch,
    });

    public Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default) => Answer(() => _uploads.ContainsKey(digest));

    public async Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            throw new EdgeApiException(400, $"'{digest}' is not an artifact digest (sha256:…).");
        }

        var files = new List<string>();
        var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory) || Path.IsPathRooted(entry.Name) || entry.Name.Split('/').Contains(".."))
            {
                throw new EdgeApiException(400, $"The artifact's entry '{entry.Name}' is not a regular file or directory inside it.");
            }

            files.Add(entry.Name);
        }

        lock (_lock)
        {
            _uploads[digest] = files;
        }
    }

    public Task<EdgeServiceStatus> PutServiceAsync(string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default) => Answer(() =>
    {
        if (!_services.TryGetValue((environment, service), out var state))
        {
            _services[(environment, service)] = state = new FakeService();
        }

        state.Spec = spec;
        return Status(environment, service, state);
    });

    public Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default) => Answer(() =>
    {
        Service(environment, service);
        return _services.Remove((environment, service));
    });

    public Task<EdgeReleaseStatus> PutReleaseAsync(string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default) => Answer(() =>
    {
        var state = Service(environment, service);
        if (!_uploads.ContainsKey(spec.ArtifactDigest))
        {
            throw new EdgeApiException(404, $"The edge has no artifact {spec.ArtifactDigest}; upload it first.");
        }

        if (spec.Instances is < 1 or > 64)
        {
            throw new EdgeApiException(400, "A release has 1 to 64 instances.");
        }

        if (state.Releases.TryGetValue(version, out var existing) && (existing.Spec.ArtifactDigest != spec.ArtifactDigest || existing.Spec.Command != spec.Command))
        {
            throw new EdgeApiException(409, $"Release {version} exists with another artifact or command.");
        }

        var release = existing ?? new FakeRelease { Behaviour = _behaviours.GetValueOrDefault(version) };
        release.Spec = spec;
        state.Releases[version] = release;
        return ReleaseStatus(version, release, state);
    });

    public Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default) => Answer(() =>
    {
        var state = Service(environment, service);
        if (!state.Releases.ContainsKey(version))
        {
            throw new EdgeApiException(404, $"{service} in {environment} has no release {version}.");
        }

        if (state.Routing?.Weights.GetValueOrDefault(version) > 0)
        {
            throw new EdgeApiException(409, $"Release {version} still has a weight; move its traffic first.");
        }

        state.Releases.Remove(version);
        Changes.Add($"delete {version}");
        if (state.Routing is { } routing)
        {
            state.Routing = routing with
            {
                Weights = routing.Weights.Where(w => w.Key != version).ToDictionary(),
                Preview = routing.Preview == version ? null : routing.Preview,
            };
        }

        return true;
    });

    public Task<EdgeServiceStatus> SetRoutingAsync(string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default) => Answer(() =>
    {
        var state = Service(environment, service);
        if (routing.Weights.Any(w => w.Value is < 0 or > 1000) || routing.Weights.Values.Sum() != 1000)
        {
            throw new EdgeApiException(400, "The weights must each be 0 to 1000 and add up to 1000.");
        }

        foreach (var version in routing.Weights.Keys.Append(routing.Preview).OfType<string>())
        {
            if (!state.Releases.ContainsKey(version))
            {
                throw new EdgeApiException(404, $"{service} in {environment} has no release {version}.");
            }
        }

        foreach (var (version, weight) in routing.Weights)
        {
            if (weight > 0 && !Instances(version, state.Releases[version], state).Any(i => i.State == EdgeInstanceState.Healthy))
            {
                throw new EdgeApiException(409, $"Release {version} has no healthy instance to take traffic.");
            }
        }

        state.Routing = routing;
        RoutingHistory.Add((environment, service, routing));
        Changes.Add("route " + string.Join(",", routing.Weights.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}")));
        return Status(environment, service, state);
    });

    public Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default) => Answer(() =>
    {
        if (!_services.TryGetValue((environment, service), out var state))
        {
            return null;
        }

        var status = Status(environment, service, state);
        foreach (var release in state.Releases.Values)
        {
            release.Looks++;
        }

        return (EdgeServiceStatus?)status;
    });

    public Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default) =>
        Answer(() => new EdgeState { Services = _services.Select(s => Status(s.Key.Environment, s.Key.Service, s.Value)).ToList() });

    public Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default) => Answer(() =>
    {
        var reads = _flagReads++;
        return new EdgeMetricsSnapshot
        {
            TakenAt = DateTimeOffset.UnixEpoch,
            Releases = _services.SelectMany(s => s.Value.Releases.Select(r => new EdgeReleaseMetrics
            {
                Environment = s.Key.Environment,
                Service = s.Key.Service,
                Version = r.Key,
                Requests = 10,
                Status2xx = 10,
                Latency = [new EdgeHistogramBucket(1000, 10)],
                Flags = FlagMetrics?.Invoke(r.Key, reads) ?? [],
            })).Concat(_services.Where(s => s.Value.Routing?.Mirror is not null).Select(s => new EdgeReleaseMetrics
            {
                Environment = s.Key.Environment,
                Service = s.Key.Service,
                Version = s.Value.Routing!.Mirror!.Version,
                Mirrored = true,
                Requests = 10,
                Status2xx = 10,
                Comparison = MirrorComparison?.Invoke(_metricReads++),
            })).ToList(),
        };
    });

    public async IAsyncEnumerable<string> ReadLogsAsync(string environment, string service, string? version, int tail, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lines = await Answer(() =>
        {
            var state = Service(environment, service);
            return state.Releases.Keys.Where(v => version is null || v == version)
                .SelectMany(v => Logs.GetValueOrDefault(v, []).Select(line => $"{v}-1 {line}"))
                .TakeLast(tail)
                .ToList();
        });
        foreach (var line in lines)
        {
            yield return line;
        }

        if (follow)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private FakeService Service(string environment, string service) =>
        _services.GetValueOrDefault((environment, service)) ?? throw new EdgeApiException(404, $"The edge has no service {service} in {environment}.");

    private static EdgeServiceStatus Status(string environment, string service, FakeService state) => new()
    {
        Environment = environment,
        Service = service,
        Spec = state.Spec,
        Routing = state.Routing,
        Releases = state.Releases.Select(r => ReleaseStatus(r.Key, r.Value, state)).ToList(),
    };

    private static EdgeReleaseStatus ReleaseStatus(string version, FakeRelease release, FakeService state)
    {
        var instances = Instances(version, release, state);
        return new EdgeReleaseStatus
        {
            Version = version,
            ArtifactDigest = release.Spec.ArtifactDigest,
            Command = release.Spec.Command,
            Instances = release.Spec.Instances,
            Weight = state.Routing?.Weights.GetValueOrDefault(version) ?? 0,
            InstanceStatuses = instances,
            CrashLooping = instances.Any(i => i.Crashes > 3),
        };
    }

    private static List<EdgeInstanceStatus> Instances(string version, FakeRelease release, FakeService state)
    {
        var underTraffic = state.Routing?.Weights.GetValueOrDefault(version) > 0;
        var (instanceState, crashes, error) = release.Behaviour switch
        {
            FakeReleaseBehaviour.NeverHealthy => (EdgeInstanceState.Starting, 0, "GET /health answered 500."),
            FakeReleaseBehaviour.CrashLooping => (EdgeInstanceState.Crashed, 5, "The process exited with code 1."),
            FakeReleaseBehaviour.CrashLoopsUnderTraffic when underTraffic => (EdgeInstanceState.Crashed, 5, "The process exited with code 1."),
            _ when release.Looks == 0 => (EdgeInstanceState.Starting, 0, null),
            _ => (EdgeInstanceState.Healthy, 0, (string?)null),
        };
        return Enumerable.Range(1, release.Spec.Instances)
            .Select(n => new EdgeInstanceStatus { Id = $"{version}-{n}", State = instanceState, Crashes = crashes, LastError = error, Port = 20000 + n })
            .ToList();
    }

    private Task<T> Answer<T>(Func<T> answer)
    {
        ThrowIfDown();
        lock (_lock)
        {
            try
            {
                return Task.FromResult(answer());
            }
            catch (EdgeApiException ex)
            {
                return Task.FromException<T>(ex);
            }
        }
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new EdgeUnavailableException("The edge is not running (connection refused).");
        }
    }

    private sealed class FakeService
    {
        public EdgeServiceSpec Spec { get; set; } = new();

        public EdgeRoutingSpec? Routing { get; set; }

        public Dictionary<string, FakeRelease> Releases { get; } = new(StringComparer.Ordinal);
    }

    private sealed class FakeRelease
    {
        public required FakeReleaseBehaviour Behaviour { get; init; }

        public EdgeReleaseSpec Spec { get; set; } = new() { ArtifactDigest = "", Command = "" };

        /// <summary>How often the service was read since the release was declared: healthy from the second look on.</summary>
        public int Looks { get; set; }
    }
}
