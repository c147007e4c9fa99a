using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Routing;
using Shipgate.Edge.State;

namespace Shipgate.Edge.Supervisor;

/// <summary>
/// The edge's desired state and the instances that carry it out. Every change is checked whole (a refusal changes
/// nothing), written to <c>state.json</c> before the call returns, and published to the <see cref="EdgeRouter"/> as a
/// new route table in which only healthy instances take traffic. Changes are made one at a time.
/// </summary>
internal sealed class EdgeSupervisor : IAsyncDisposable
{
    private readonly string _stateDirectory;
    private readonly EdgeRouter _router;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InstanceHost _host;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Lock _sync = new();
    private readonly List<ServiceEntry> _services = [];

    public EdgeSupervisor(string stateDirectory, InstanceLauncher launcher, EdgeRouter router, TimeProvider time, ILogger logger)
    {
        _stateDirectory = stateDirectory;
        _router = router;
        _time = time;
        _logger = logger;
        _host = new InstanceHost(stateDirectory, launcher, router, time, logger, Changed);
        Artifacts = new ArtifactUnpacker(Path.Combine(stateDirectory, "releases"));
        Directory.CreateDirectory(Path.Combine(stateDirectory, "releases"));
    }

    public ArtifactUnpacker Artifacts { get; }

    /// <summary>
    /// Restores the state file: instances whose process still runs (same pid and start time) are adopted, the others
    /// started; each takes traffic again at its first passing health check. Releases left half-deleted are stopped.
    /// </summary>
    public void Restore()
    {
        var state = EdgeStateFile.Load(_stateDirectory);
        var removing = new List<(ServiceEntry, ReleaseEntry)>();
        lock (_sync)
        {
            foreach (var service in state.Services)
            {
                var entry = new ServiceEntry(service.Environment, service.Service, service.Spec) { Routing = service.Routing };
                foreach (var release in service.Releases)
                {
                    var releaseEntry = new ReleaseEntry(release.Version, release.Spec, Artifacts.DirectoryOf(release.Spec.ArtifactDigest) ?? "", release.DeclaredAt)
                    {
                        Removing = release.Removing,
                    };
                    releaseEntry.Instances.AddRange(release.Instances.Select(i => new Instance(_host, entry, releaseEntry, i.Id, i)));
                    entry.Releases.Add(releaseEntry);
                    if (release.Removing)
                    {
                        removing.Add((entry, releaseEntry));
                    }
                }

                _services.Add(entry);
            }

            foreach (var release in _services.SelectMany(s => s.Releases))
            {
                foreach (var instance in release.Instances)
                {
                    // A release being deleted is not started again: what still runs of it is adopted to be stopped.
                    if (release.Removing)
                    {
                        instance.AdoptForStop();
                    }
                    else
                    {
                        instance.Start();
                    }
                }
            }

            Publish();
        }

        foreach (var (service, release) in removing)
        {
            _ = FinishRemovalAsync(service, release);
        }
    }

    public EdgeState GetState()
    {
        lock (_sync)
        {
            return new EdgeState { Services = _services.Where(s => !s.Removing).Select(StatusOf).ToList() };
        }
    }

    public EdgeServiceStatus? GetService(string environment, string service)
    {
        lock (_sync)
        {
            return Find(environment, service) is { Removing: false } entry ? StatusOf(entry) : null;
        }
    }

    public async Task<EdgeServiceStatus> PutServiceAsync(string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default)
    {
        EdgeValidation.Name(environment, "environment");
        EdgeValidation.Name(service, "service");
        EdgeValidation.Service(spec);
        spec = spec with { Hosts = spec.Hosts.Distinct().ToList() };
        return await ChangeAsync(
            () =>
            {
                var entry = Find(environment, service);
                if (entry is { Removing: true })
                {
                    throw EdgeRefusedException.Conflict($"The service {service} in {environment} is being deleted; declare it again once it is gone.");
                }

                var taken = _services.Where(s => s != entry && !s.Removing).SelectMany(s => s.Hosts.Select(h => (Host: h, Owner: s))).ToList();
                var mine = new ServiceEntry(environment, service, spec).Hosts.ToList();
                if (taken.FirstOrDefault(t => mine.Contains(t.Host) || t.Host == $"preview.{service}.{environment}.localhost") is { Owner: { } owner } clash)
                {
                    throw EdgeRefusedException.Conflict($"The host {clash.Host} is claimed by the service {owner.Service} in {owner.Environment}.");
                }

                if (entry is null)
                {
                    entry = new ServiceEntry(environment, service, spec);
                    _services.Add(entry);
                }
                else
                {
                    entry.Spec = spec;
                }

                return StatusOf(entry);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<EdgeReleaseStatus> PutReleaseAsync(
        string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default)
    {
        EdgeValidation.Version(version);
        EdgeValidation.Release(spec);
        if (Artifacts.DirectoryOf(spec.ArtifactDigest) is null)
        {
            throw EdgeRefusedException.BadInput($"'{spec.ArtifactDigest}' is not an artifact digest (sha256: and 64 lower-case hex digits).");
        }

        if (!Artifacts.Has(spec.ArtifactDigest))
        {
            throw EdgeRefusedException.BadInput($"The artifact {spec.ArtifactDigest} is not on the edge; upload it first (PUT /v1/artifacts/{{digest}}).");
        }

        var stopping = new List<Instance>();
        var status = await ChangeAsync(
            () =>
            {
                var entry = Existing(environment, service);
                var release = entry.Find(version);
                if (release is { Removing: true })
                {
                    throw EdgeRefusedException.Conflict($"The release {version} of {service} is being deleted; declare it again once it is gone.");
                }

                if (release is not null && (release.Spec.ArtifactDigest != spec.ArtifactDigest || release.Spec.Command != spec.Command))
                {
                    throw EdgeRefusedException.Conflict(
                        $"The release {version} of {service} in {environment} was declared with another artifact or command; "
                        + "a version is immutable, give the new one another version.");
                }

                if (release is null)
                {
                    release = new ReleaseEntry(version, spec, Artifacts.DirectoryOf(spec.ArtifactDigest)!, _time.GetUtcNow());
                    entry.Releases.Add(release);
                }

                release.Spec = spec;
                var used = release.Instances.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
                while (release.Instances.Count < spec.Instances)
                {
                    var id = Enumerable.Range(1, EdgeValidation.MaxInstances * 2).Select(n => $"{version}-{n}").First(i => !used.Contains(i));
                    used.Add(id);
                    var instance = new Instance(_host, entry, release, id, null);
                    release.Instances.Add(instance);
                    instance.Start();
                }

                // Fewer instances: the last ones go, out of routing first (published by ChangeAsync), then stopped.
                while (release.Instances.Count > spec.Instances)
                {
                    stopping.Add(release.Instances[^1]);
                    release.Instances.RemoveAt(release.Instances.Count - 1);
                }

                return ReleaseStatusOf(entry, release);
            },
            cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(stopping.Select(i => i.StopAsync())).ConfigureAwait(false);
        return status;
    }

    public async Task<EdgeServiceStatus> SetRoutingAsync(string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default)
    {
        EdgeValidation.Routing(routing);
        return await ChangeAsync(
            () =>
            {
                var entry = Existing(environment, service);
                foreach (var version in EdgeValidation.NamedVersions(routing))
                {
                    if (entry.Find(version) is not { Removing: false })
                    {
                        throw EdgeRefusedException.NotFound($"The routing names the release {version}, which {service} in {environment} does not have.");
                    }
                }

                foreach (var (version, weight) in routing.Weights)
                {
                    if (weight > 0 && !entry.Find(version)!.Instances.Any(i => i.Status.State == EdgeInstanceState.Healthy))
                    {
                        throw EdgeRefusedException.Conflict($"The release {version} has no healthy instance, so it cannot take a weight.");
                    }
                }

                entry.Routing = routing;
                return StatusOf(entry);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default)
    {
        (ServiceEntry Service, ReleaseEntry Release)? removal = null;
        await ChangeAsync(
            () =>
            {
                var entry = Existing(environment, service);
                var release = entry.Find(version) ?? throw EdgeRefusedException.NotFound($"The service {service} in {environment} has no release {version}.");
                if (entry.Routing is { } routing
                    && (routing.Weights.GetValueOrDefault(version) > 0
                        || EdgeValidation.NamedVersions(routing with { Weights = new Dictionary<string, int>() }).Contains(version)))
                {
                    throw EdgeRefusedException.Conflict(
                        $"The release {version} still has traffic (a weight, the preview, a mirror or a header route); move it away first.");
                }

                release.Removing = true;
                removal = (entry, release);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (removal is { } r)
        {
            await FinishRemovalAsync(r.Service, r.Release).ConfigureAwait(false);
        }
    }

    public async Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default)
    {
        ServiceEntry? removed = null;
        await ChangeAsync(
            () =>
            {
                removed = Existing(environment, service);
                removed.Removing = true;
                foreach (var release in removed.Releases)
                {
                    release.Removing = true;
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (removed is not null)
        {
            await Task.WhenAll(removed.Releases.ToList().Select(r => FinishRemovalAsync(removed, r))).ConfigureAwait(false);
            await ChangeAsync(() => _services.Remove(removed), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Drains and stops every instance (<c>shipgate edge stop</c>); the state keeps the services, without instances.</summary>
    public async Task StopAllAsync()
    {
        List<Instance> all;
        lock (_sync)
        {
            foreach (var release in _services.SelectMany(s => s.Releases))
            {
                release.Removing = true;
            }

            Publish();
            all = _services.SelectMany(s => s.Releases).SelectMany(r => r.Instances).ToList();
        }

        await Task.WhenAll(all.Select(i => i.StopAsync())).ConfigureAwait(false);
        lock (_sync)
        {
            _services.Clear();
            Persist();
        }
    }

    /// <summary>The log files of a service's instances (of one release, or of all), by instance id.</summary>
    public IReadOnlyList<(string InstanceId, string LogFile)> LogFiles(string environment, string service, string? version)
    {
        lock (_sync)
        {
            var entry = Existing(environment, service);
            if (version is not null && entry.Find(version) is null)
            {
                throw EdgeRefusedException.NotFound($"The service {service} in {environment} has no release {version}.");
            }

            return entry.Releases.Where(r => version is null || r.Version == version)
                .SelectMany(r => r.Instances).Select(i => (i.Id, i.LogFile)).ToList();
        }
    }

    /// <summary>Leaves every instance running and stops watching them: the edge exits, the next one adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Instance> all;
        lock (_sync)
        {
            all = _services.SelectMany(s => s.Releases).SelectMany(r => r.Instances).ToList();
        }

        await Task.WhenAll(all.Select(i => i.DetachAsync())).ConfigureAwait(false);
        _host.Health.Dispose();
    }

    private async Task FinishRemovalAsync(ServiceEntry service, ReleaseEntry release)
    {
        List<Instance> instances;
        lock (_sync)
        {
            instances = [.. release.Instances];
        }

        await Task.WhenAll(instances.Select(i => i.StopAsync())).ConfigureAwait(false);
        await ChangeAsync(() => service.Releases.Remove(release), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>One change at a time: <paramref name="change"/> checks and applies under the lock, then it is persisted and published.</summary>
    private async Task<T> ChangeAsync<T>(Func<T> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_sync)
            {
                // A refusal throws before anything changed; a state file that cannot be written is the edge's failure (500).
                var result = change();
                try
                {
                    Persist(throwOnFailure: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new EdgeRefusedException(500, $"The edge could not write its state file, so the change was not made: {ex.Message}");
                }

                Publish();
                return result;
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    private PersistedState Snapshot() => new()
    {
        Services = _services.Where(s => !s.Removing || s.Releases.Count > 0).Select(s => new PersistedService
        {
            Environment = s.Environment,
            Service = s.Service,
            Spec = s.Spec,
            Routing = s.Routing,
            Releases = s.Releases.Select(r => new PersistedRelease
            {
                Version = r.Version,
                Spec = r.Spec,
                DeclaredAt = r.DeclaredAt,
                Removing = r.Removing,
                Instances = r.Instances.Select(i => i.ToPersisted()).ToList(),
            }).ToList(),
        }).ToList(),
    };

    private void Changed(bool persist)
    {
        lock (_sync)
        {
            if (persist)
            {
                Persist();
            }

            Publish();
        }
    }

    private void Persist(bool throwOnFailure = false)
    {
        try
        {
            EdgeStateFile.Save(_stateDirectory, Snapshot());
        }
        catch (Exception ex) when (!throwOnFailure && ex is IOException or UnauthorizedAccessException)
        {
            _logger.StateNotWritten(ex.Message);
        }
    }

    private void Publish()
    {
        var services = new List<ServiceRoute>();
        foreach (var service in _services.Where(s => !s.Removing))
        {
            var releases = service.Releases.Where(r => !r.Removing).Select(r => new ReleaseRoute(
                r.Version,
                service.Routing?.Weights.GetValueOrDefault(r.Version) ?? 0,
                r.Instances.Select(i => i.Status).Where(s => s.State == EdgeInstanceState.Healthy && s.Port is not null)
                    .Select(s => new RouteEndpoint(s.Id, s.Port!.Value)).ToList())
            {
                Variables = r.Spec.Environment,
            }).ToList();
            List<string> hosts = [.. service.Hosts];
            if (service.Routing?.Preview is not null)
            {
                hosts.Add($"preview.{service.Service}.{service.Environment}.localhost");
            }

            services.Add(new ServiceRoute(service.Environment, service.Service, hosts, releases, service.Routing));
        }

        _router.Publish(new RouteTable(services));
    }

    private ServiceEntry? Find(string environment, string service) =>
        _services.FirstOrDefault(s => s.Environment == environment && s.Service == service);

    private ServiceEntry Existing(string environment, string service) =>
        Find(environment, service) is { Removing: false } entry
            ? entry
            : throw EdgeRefusedException.NotFound($"The edge has no service {service} in {environment}; declare it first (PUT /v1/services/{environment}/{service}).");

    private EdgeServiceStatus StatusOf(ServiceEntry entry) => new()
    {
        Environment = entry.Environment,
        Service = entry.Service,
        Spec = entry.Spec,
        Routing = entry.Routing,
        Releases = entry.Releases.Where(r => !r.Removing).Select(r => ReleaseStatusOf(entry, r)).ToList(),
    };

    private static EdgeReleaseStatus ReleaseStatusOf(ServiceEntry service, ReleaseEntry release) => new()
    {
        Version = release.Version,
        ArtifactDigest = release.Spec.ArtifactDigest,
        Command = release.Spec.Command,
        Instances = release.Spec.Instances,
        Weight = service.Routing?.Weights.GetValueOrDefault(release.Version) ?? 0,
        InstanceStatuses = release.Instances.Select(i => i.Status).ToList(),
        CrashLooping = release.Instances.Any(i => i.CrashLooping),
        DeclaredAt = release.DeclaredAt,
    };
}
