using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// Carries out rolling and blue-green deployments through an edge's admin API, step by step, each step recorded.
/// Rolling: the new release starts beside the old, becomes healthy, passes its smoke checks pinned, takes all
/// traffic (the old kept warm at weight 0), passes them again and its watch; then the old one drains and stops.
/// Blue-green: the same, checked through the preview host before the switch, the old release (blue) kept warm for
/// the rollback window. A failure before traffic moved leaves the old release serving untouched; after, automatic
/// rollback puts the old one back. Canary (RolloutRunner.Canary.cs): the new release starts beside the old one and
/// takes traffic step by step, judged by <paramref name="analyst"/> (default <see cref="CanaryAnalyst"/>) as it goes.
/// Expected failures are results; an edge that cannot be reached throws.
/// </summary>
public sealed partial class RolloutRunner(IEdgeClient edge, SmokeRunner smoke, TimeProvider time, ICanaryAnalyst? analyst = null)
{
    private readonly IEdgeClient _edge = edge;
    private readonly SmokeRunner _smoke = smoke;
    private readonly TimeProvider _time = time;
    private readonly ICanaryAnalyst _analyst = analyst ?? new CanaryAnalyst(edge, time);

    /// <summary>How often a wait for health and the watch look at the edge.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the watch runs the smoke checks again.</summary>
    internal static readonly TimeSpan WatchSmokeInterval = TimeSpan.FromSeconds(5);

    /// <summary>How many lines of a failing release's log a failure quotes.</summary>
    internal const int LogTail = 20;

    public async Task<RolloutResult> RunAsync(RolloutRequest request, CancellationToken cancellationToken = default)
    {
        var run = new Run(this, request);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts <paramref name="version"/> back as the live release when the edge still has it warm and healthy: all of
    /// the service's traffic to it at once, the others kept at weight 0. False when it is not warm (the caller then
    /// deploys that release anew).
    /// </summary>
    public async Task<bool> TrySwitchBackAsync(string environment, string service, string version, CancellationToken cancellationToken = default)
    {
        var status = await _edge.GetServiceAsync(environment, service, cancellationToken).ConfigureAwait(false);
        if (status?.Releases.FirstOrDefault(r => r.Version == version) is not { } target || !IsHealthy(target))
        {
            return false;
        }

        await _edge.SetRoutingAsync(environment, service, Route(status, version), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The routing that sends all traffic to <paramref name="version"/>, the service's other releases at 0, no preview.</summary>
    private static EdgeRoutingSpec Route(EdgeServiceStatus status, string version) => new()
    {
        Weights = status.Releases.ToDictionary(r => r.Version, r => r.Version == version ? 1000 : 0, StringComparer.Ordinal),
        Sticky = status.Routing?.Sticky,
    };

    private static bool IsHealthy(EdgeReleaseStatus release) =>
        !release.CrashLooping && release.InstanceStatuses.Count(i => i.State == EdgeInstanceState.Healthy) >= Math.Max(1, release.Instances);

    /// <summary>The release that serves now: the one with the most weight, other than <paramref name="except"/>.</summary>
    private static string? LiveVersion(EdgeServiceStatus? status, string except) =>
        status?.Routing?.Weights.Where(w => w.Value > 0 && w.Key != except).OrderByDescending(w => w.Value).Select(w => w.Key).FirstOrDefault();

    /// <summary>One rollout's state: its steps so far, and what traffic has done.</summary>
    private sealed partial class Run(RolloutRunner owner, RolloutRequest request)
    {
        private readonly List<RolloutStep> _steps = [];
        private readonly string _environment = request.Environment.Name;
        private readonly string _service = request.Service.Name;
        private readonly string _version = request.Version;
        private readonly bool _blueGreen = request.EffectiveStrategy is BlueGreenStrategy;
        private string? _previous;
        private bool _trafficMoved;
        private Uri? _listen;
        private int _instances = request.Service.Instances;

        private IEdgeClient Edge => owner._edge;

        private TimeProvider Time => owner._time;

        public async Task<RolloutResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            if (_ramp is { } ramp)
            {
                return await RampAsync(ramp, cancellationToken).ConfigureAwait(false);
            }

            request.Log($"Deploying {_service} {_version} to {_environment} ({request.EffectiveStrategy.Name}).");
            var failure = await StepAsync("declare-service", DeclareServiceAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("upload-artifact", UploadAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("stop-stale", StopStaleAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("start-release", StartReleaseAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("wait-healthy", WaitHealthyAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("preview", PreviewAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("smoke-before", ct => SmokeAsync(before: true, ct), cancellationToken).ConfigureAwait(false)
                ?? await CanaryStepsAsync(cancellationToken).ConfigureAwait(false)
                ?? await StepAsync(_blueGreen ? "switch" : "shift-traffic", ShiftAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("smoke-after", ct => SmokeAsync(before: false, ct), cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("watch", WatchAsync, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return await FailAsync(failure, cancellationToken).ConfigureAwait(false);
            }

            DateTimeOffset? keepUntil = null;
            if (_previous is not null)
            {
                if (_blueGreen && request.Environment.RollbackWindow > TimeSpan.Zero)
                {
                    keepUntil = Time.GetUtcNow() + request.Environment.RollbackWindow;
                    await StepAsync("keep-previous-warm", _ => Task.FromResult<(string?, string)>((null, $"{_previous} stays warm at weight 0 until {keepUntil:u} for an instant rollback")), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await StepAsync("stop-previous", StopPreviousAsync, cancellationToken).ConfigureAwait(false);
                }
            }

            request.Log($"Deployed {_service} {_version} to {_environment}.");
            return await ResultAsync(RolloutStatus.Succeeded, null, keepUntil, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Runs one step and records it; returns the failure's sentence, or null when the step passed.</summary>
        private async Task<string?> StepAsync(string name, Func<CancellationToken, Task<(string? Failure, string Message)>> step, CancellationToken cancellationToken)
        {
            var started = Time.GetUtcNow();
            var (failure, message) = await step(cancellationToken).ConfigureAwait(false);
            var outcome = failure is not null ? RolloutStepOutcome.Failed : message.StartsWith("skipped", StringComparison.Ordinal) ? RolloutStepOutcome.Skipped : RolloutStepOutcome.Succeeded;
            _steps.Add(new RolloutStep(name, started, Time.GetUtcNow(), outcome, failure ?? message));
            request.Log($"[{name}] {(outcome == RolloutStepOutcome.Failed ? "failed: " : "")}{failure ?? message}");
            return failure;
        }

        private async Task<(string?, string)> DeclareServiceAsync(CancellationToken cancellationToken)
        {
            var service = request.Service;
            var spec = new EdgeServiceSpec
            {
                Hosts = request.Environment.Hosts,
                PortEnv = service.PortEnv,
                HealthPath = service.Health,
                HealthIntervalMs = (int)service.HealthInterval.TotalMilliseconds,
                HealthTimeoutMs = (int)service.HealthTimeout.TotalMilliseconds,
                DrainTimeoutMs = (int)service.DrainTimeout.TotalMilliseconds,
            };
            var status = await Edge.PutServiceAsync(_environment, _service, spec, cancellationToken).ConfigureAwait(false);
            _previous = LiveVersion(status, _version);
            _listen = SmokeRunner.ListenAddress(await Edge.GetInfoAsync(cancellationToken).ConfigureAwait(false));
            if (Canary is not null && _previous is not null)
            {
                // The canary starts small beside stable, which keeps all its instances: an abort needs no start-up.
                _instances = CanaryInstances(0);
            }

            return (null, _previous is null ? "declared; nothing serves yet (first deployment)" : $"declared; {_previous} serves now");
        }

        private async Task<(string?, string)> UploadAsync(CancellationToken cancellationToken)
        {
            if (await Edge.HasArtifactAsync(request.ArtifactDigest, cancellationToken).ConfigureAwait(false))
            {
                return (null, $"skipped: the edge has {request.ArtifactDigest}");
            }

            try
            {
                var tar = await request.OpenArtifact(cancellationToken).ConfigureAwait(false);
                await using (tar.ConfigureAwait(false))
                {
                    await Edge.UploadArtifactAsync(request.ArtifactDigest, tar, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (EdgeApiException ex)
            {
                return ($"The edge refused the artifact: {ex.Message}", "");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ($"The artifact {request.ArtifactDigest} could not be read: {ex.Message}", "");
            }

            return (null, $"uploaded {request.ArtifactDigest}");
        }

        /// <summary>Releases at weight 0 other than the live one (a blue kept warm, a failed release left by manual rollback) are stopped first.</summary>
        private async Task<(string?, string)> StopStaleAsync(CancellationToken cancellationToken)
        {
            var status = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            var stale = status?.Releases.Where(r => r.Weight == 0 && r.Version != _previous && r.Version != _version).Select(r => r.Version).ToList() ?? [];
            if (stale.Count == 0)
            {
                return (null, "skipped: no stale release");
            }

            foreach (var version in stale)
            {
                await Edge.DeleteReleaseAsync(_environment, _service, version, cancellationToken).ConfigureAwait(false);
            }

            return (null, $"stopped {string.Join(", ", stale)}");
        }

        private async Task<(string?, string)> StartReleaseAsync(CancellationToken cancellationToken)
        {
            var spec = new EdgeReleaseSpec
            {
                ArtifactDigest = request.ArtifactDigest,
                Command = request.Service.Run,
                Instances = _instances,
                Environment = request.Variables,
            };
            try
            {
                await Edge.PutReleaseAsync(_environment, _service, _version, spec, cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex)
            {
                return ($"The edge refused release {_version}: {ex.Message}", "");
            }

            return (null, $"started {_instances} instance(s) of {_version}");
        }

        private async Task<(string?, string)> WaitHealthyAsync(CancellationToken cancellationToken)
        {
            var deadline = Time.GetUtcNow() + request.ReadyTimeout;
            while (true)
            {
                var release = await ReleaseAsync(cancellationToken).ConfigureAwait(false);
                if (release is not null && IsHealthy(release))
                {
                    return (null, $"{release.Instances} instance(s) healthy");
                }

                string? problem = release switch
                {
                    null => "is gone from the edge",
                    { CrashLooping: true } => "is crash-looping",
                    _ when Time.GetUtcNow() >= deadline => $"did not become healthy within {DurationText.FormatPrecise(request.ReadyTimeout)}",
                    _ => null,
                };
                if (problem is not null)
                {
                    var lastError = release?.InstanceStatuses.Select(i => i.LastError).LastOrDefault(e => e is not null);
                    await LogTailAsync(cancellationToken).ConfigureAwait(false);
                    return ($"Release {_version} {problem}{(lastError is null ? "" : $" ({lastError})")}; the last lines of its log are above.", "");
                }

                await Task.Delay(PollInterval, Time, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Writes the last lines of the new release's log to the step's log, which masks secrets; they are not put
        /// in the failure's reason, which is stored and sent unmasked.
        /// </summary>
        private async Task LogTailAsync(CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            try
            {
                await foreach (var line in Edge.ReadLogsAsync(_environment, _service, _version, LogTail, follow: false, cancellationToken).ConfigureAwait(false))
                {
                    lines.Add(line);
                }
            }
            catch (EdgeApiException)
            {
                // No log is no reason to hide the failure itself.
            }

            request.Log(lines.Count == 0 ? $"Release {_version} wrote no output." : $"The last lines of release {_version}'s log:");
            foreach (var line in lines)
            {
                request.Log("  " + line);
            }
        }

        private async Task<(string?, string)> SmokeAsync(bool before, CancellationToken cancellationToken)
        {
            var checks = request.Environment.Smoke;
            if (checks.Count == 0)
            {
                return (null, "skipped: the environment has no smoke checks");
            }

            // Before the switch blue-green checks green through its preview host; every other check pins the version.
            var target = before && _blueGreen && _previous is not null
                ? new SmokeTarget(_listen!, SmokeRunner.PreviewHost(_service, _environment), null)
                : new SmokeTarget(_listen!, SmokeRunner.ServiceHost(_service, _environment), _version);
            var report = await owner._smoke.RunAsync(checks, target, cancellationToken).ConfigureAwait(false);
            foreach (var line in report.Lines)
            {
                request.Log("  " + line);
            }

            return (report.Failure is null ? null : report.Failure + ".", $"{checks.Count} check(s) passed against {target.Host}");
        }

        /// <summary>Blue-green: green is served on the preview host while blue keeps all traffic.</summary>
        private async Task<(string?, string)> PreviewAsync(CancellationToken cancellationToken)
        {
            if (!_blueGreen || _previous is null)
            {
                return (null, _blueGreen ? "skipped: nothing serves yet, so checks pin the version" : $"skipped: {request.EffectiveStrategy.Name} checks pin the version");
            }

            var status = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            if (status?.Routing is not { } routing)
            {
                return ($"The edge no longer routes {_service} in {_environment}.", "");
            }

            try
            {
                await Edge.SetRoutingAsync(_environment, _service, routing with { Preview = _version }, cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex)
            {
                return ($"The edge refused the preview route to {_version}: {ex.Message}", "");
            }

            return (null, $"{_version} on {SmokeRunner.PreviewHost(_service, _environment)}; {_previous} keeps all traffic");
        }

        private async Task<(string?, string)> ShiftAsync(CancellationToken cancellationToken)
        {
            var status = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                return ($"The edge no longer knows {_service} in {_environment}.", "");
            }

            try
            {
                await Edge.SetRoutingAsync(_environment, _service, Route(status, _version), cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex)
            {
                return ($"The edge refused to move traffic to {_version}: {ex.Message}", "");
            }

            _trafficMoved = true;
            return (null, _previous is null ? $"100% to {_version}" : $"100% to {_version}; {_previous} kept warm at 0%");
        }

        private async Task<(string?, string)> WatchAsync(CancellationToken cancellationToken)
        {
            var watch = request.Environment.Watch;
            if (watch <= TimeSpan.Zero)
            {
                return (null, "skipped: watch is 0s");
            }

            var end = Time.GetUtcNow() + watch;
            var nextSmoke = Time.GetUtcNow() + WatchSmokeInterval;
            while (true)
            {
                var release = await ReleaseAsync(cancellationToken).ConfigureAwait(false);
                var problem = release switch
                {
                    null => $"Release {_version} is gone from the edge.",
                    { CrashLooping: true } => $"Release {_version} is crash-looping.",
                    _ when !release.InstanceStatuses.Any(i => i.State == EdgeInstanceState.Healthy) => $"Release {_version} has no healthy instance.",
                    _ => null,
                };
                if (problem is not null)
                {
                    await LogTailAsync(cancellationToken).ConfigureAwait(false);
                    return (problem, "");
                }

                var now = Time.GetUtcNow();
                if (now >= nextSmoke || now >= end)
                {
                    var (failure, _) = await SmokeAsync(before: false, cancellationToken).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        return (failure, "");
                    }

                    nextSmoke = now + WatchSmokeInterval;
                }

                if (now >= end)
                {
                    return (null, $"healthy for {DurationText.Format(watch)}");
                }

                if (await WaitAsync(PollInterval, cancellationToken).ConfigureAwait(false) is { Verb: RolloutVerb.Abort } abort)
                {
                    _abort = abort;
                    return ($"Aborted by {abort.Actor}.", "");
                }
            }
        }

        private async Task<(string?, string)> StopPreviousAsync(CancellationToken cancellationToken)
        {
            await Edge.DeleteReleaseAsync(_environment, _service, _previous!, cancellationToken).ConfigureAwait(false);
            return (null, $"drained and stopped {_previous}");
        }

        private async Task<EdgeReleaseStatus?> ReleaseAsync(CancellationToken cancellationToken) =>
            (await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false))?.Releases.FirstOrDefault(r => r.Version == _version);

        /// <summary>
        /// After a failed step: before traffic moved the new release is stopped (the old one never stopped serving);
        /// after, automatic rollback switches back to the previous release (or, on a first deployment, takes the
        /// service down), manual rollback leaves everything as it is.
        /// </summary>
        private async Task<RolloutResult> FailAsync(string failure, CancellationToken cancellationToken)
        {
            if (request.Environment.Rollback == RollbackMode.Manual && _abort is null)
            {
                request.Log($"Rollback is manual: {_version} is left as it is; 'shipgate rollback {_service} --env {_environment}' puts {_previous ?? "nothing"} back.");
                return await ResultAsync(RolloutStatus.Failed, failure, null, cancellationToken).ConfigureAwait(false);
            }

            if (!_trafficMoved)
            {
                if (_mirror is not null)
                {
                    // A shadow held back: the copies stop with stable's routing put back as it was.
                    _mirror = null;
                    await RouteBackAsync(cancellationToken).ConfigureAwait(false);
                }

                await StepAsync("stop-release", StopNewAsync, cancellationToken).ConfigureAwait(false);
                return await ResultAsync(RolloutStatus.Failed, failure, null, cancellationToken).ConfigureAwait(false);
            }

            await StepAsync("rollback", RollBackAsync, cancellationToken).ConfigureAwait(false);
            return await ResultAsync(RolloutStatus.RolledBack, failure, null, cancellationToken).ConfigureAwait(false);
        }

        private async Task<(string?, string)> StopNewAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Edge.DeleteReleaseAsync(_environment, _service, _version, cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex) when (ex.StatusCode == 404)
            {
                return (null, $"skipped: {_version} was not started");
            }
            catch (EdgeApiException ex) when (ex.StatusCode == 409)
            {
                // The same version deployed again while it serves: it keeps serving as it did.
                return (null, $"skipped: {_version} serves already and is left as it is");
            }

            return (null, $"stopped {_version}; {_previous ?? "nothing"} serves as before");
        }

        private async Task<(string?, string)> RollBackAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (_previous is null)
                {
                    // A first deployment has nothing to go back to: the service is taken down, as before it.
                    await Edge.DeleteServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
                    return (null, $"nothing served before; {_service} removed from {_environment}");
                }

                await RouteBackAsync(cancellationToken).ConfigureAwait(false);
                await Edge.DeleteReleaseAsync(_environment, _service, _version, cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex)
            {
                return ($"The edge refused the rollback: {ex.Message}", "");
            }

            return (null, $"100% back to {_previous}; {_version} stopped");
        }

        private async Task<RolloutResult> ResultAsync(RolloutStatus status, string? reason, DateTimeOffset? keepUntil, CancellationToken cancellationToken)
        {
            IReadOnlyList<EdgeReleaseMetrics> metrics = [];
            try
            {
                var snapshot = await Edge.GetMetricsAsync(cancellationToken).ConfigureAwait(false);
                metrics = snapshot.Releases
                    .Where(r => r.Environment == _environment && r.Service == _service && (r.Version == _version || r.Version == _previous))
                    .ToList();
            }
            catch (Exception ex) when (ex is EdgeApiException or EdgeUnavailableException)
            {
                request.Log($"The edge's metrics could not be read: {ex.Message}");
            }

            return new RolloutResult
            {
                Status = status,
                Reason = reason,
                Steps = _steps,
                PreviousVersion = _previous,
                KeepPreviousUntil = keepUntil,
                Metrics = metrics,
            };
        }
    }
}
