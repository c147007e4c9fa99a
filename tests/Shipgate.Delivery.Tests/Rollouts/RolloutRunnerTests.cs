using System.Formats.Tar;
using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

public sealed class RolloutRunnerTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly SourceLocation Here = new("shipgate.yml", 1, 1);
    private readonly HttpClient _http = new();
    private EdgeStandIn _standIn = null!;
    private readonly List<string> _log = [];

    private FakeEdgeClient Edge => _standIn.Edge;

    public async ValueTask InitializeAsync() => _standIn = await EdgeStandIn.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _standIn.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Rolling_HealthyRelease_TakesAllTrafficAndStopsTheOld()
    {
        await DeployAsync("v1");

        var result = await DeployAsync("v2");

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("v1", result.PreviousVersion);
        Assert.Equal(
            ["declare-service", "upload-artifact", "stop-stale", "start-release", "wait-healthy", "preview", "smoke-before", "shift-traffic", "smoke-after", "watch", "stop-previous"],
            result.Steps.Select(s => s.Name));
        Assert.All(result.Steps, s => Assert.NotEqual(RolloutStepOutcome.Failed, s.Outcome));
        var service = await ServiceAsync();
        Assert.Equal(1000, service.Routing!.Weights["v2"]);
        Assert.Equal(["v2"], service.Releases.Select(r => r.Version));
        // Old kept warm at 0 while v2 was checked after the shift; the smoke checks pinned v2.
        Assert.Contains(Edge.RoutingHistory, h => h.Routing.Weights.GetValueOrDefault("v1") == 0 && h.Routing.Weights.ContainsKey("v1"));
        Assert.Contains("web.staging.localhost v2", _standIn.Requests);
        Assert.Contains(_log, l => l.StartsWith("[shift-traffic] 100% to v2; v1 kept warm", StringComparison.Ordinal));
        Assert.Contains(result.Metrics, m => m.Version == "v2");
    }

    [Fact]
    public async Task Rolling_Variables_ReachTheReleaseSpec()
    {
        await DeployAsync("v1");

        Assert.Equal([("GREETING", "hello")], Edge.SpecOf("v1")!.Environment.Select(v => (v.Key, v.Value)));
    }

    [Fact]
    public async Task Rolling_FirstDeployment_HasNoPreviousRelease()
    {
        var result = await DeployAsync("v1");

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Null(result.PreviousVersion);
        Assert.DoesNotContain(result.Steps, s => s.Name == "stop-previous");
        Assert.Equal(["a.txt"], Edge.UploadedFiles(Digest("v1")));
    }

    [Fact]
    public async Task Rolling_ArtifactOnTheEdge_IsNotUploadedAgain()
    {
        Edge.AddArtifact(Digest("v1"));

        var result = await DeployAsync("v1");

        Assert.Equal(RolloutStepOutcome.Skipped, result.Steps.Single(s => s.Name == "upload-artifact").Outcome);
        Assert.Empty(Edge.UploadedFiles(Digest("v1"))!);
    }

    [Fact]
    public async Task Rolling_NeverHealthy_FailsWithReasonAndLogAndOldServesUntouched()
    {
        await DeployAsync("v1");
        var changes = Edge.RoutingHistory.Count;
        Edge.Behave("v2", FakeReleaseBehaviour.NeverHealthy);
        Edge.Logs["v2"] = ["listening on 0.0.0.0", "Traceback: boom"];

        var result = await DeployAsync("v2", readyTimeout: TimeSpan.FromMilliseconds(300));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal("Release v2 did not become healthy within 300ms (GET /health answered 500.); the last lines of its log are above.", result.Reason);
        Assert.Equal(["The last lines of release v2's log:", "  v2-1 listening on 0.0.0.0", "  v2-1 Traceback: boom"], _log.SkipWhile(l => !l.StartsWith("The last lines", StringComparison.Ordinal)).Take(3));
        var service = await ServiceAsync();
        Assert.Equal(changes, Edge.RoutingHistory.Count);
        Assert.Equal(1000, service.Routing!.Weights["v1"]);
        Assert.Equal(["v1"], service.Releases.Select(r => r.Version));
        Assert.Equal("stop-release", result.Steps[^1].Name);
    }

    [Fact]
    public async Task Rolling_SameVersionAgainFailingItsChecks_KeepsServingAsItDid()
    {
        await DeployAsync("v1");
        Edge.Behave("v1", FakeReleaseBehaviour.FailsSmoke);

        var result = await DeployAsync("v1");

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal("skipped: v1 serves already and is left as it is", result.Steps[^1].Message);
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Rolling_CrashLoopingRelease_FailsBeforeTrafficMoves()
    {
        await DeployAsync("v1");
        Edge.Behave("v2", FakeReleaseBehaviour.CrashLooping);

        var result = await DeployAsync("v2");

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.StartsWith("Release v2 is crash-looping", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Rolling_SmokeFailsBeforeTraffic_NothingMoves()
    {
        await DeployAsync("v1");
        var changes = Edge.RoutingHistory.Count;
        Edge.Behave("v2", FakeReleaseBehaviour.FailsSmoke);

        var result = await DeployAsync("v2");

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal("Smoke check 'home' failed: expected status 200, got 500.", result.Reason);
        Assert.Equal(changes, Edge.RoutingHistory.Count);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task Rolling_SmokeFailsAfterTraffic_RollsBack()
    {
        await DeployAsync("v1");
        Edge.Behave("v2", FakeReleaseBehaviour.FailsSmokeUnderTraffic);

        var result = await DeployAsync("v2");

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("Smoke check 'home' failed: expected status 200, got 500.", result.Reason);
        Assert.Equal("rollback", result.Steps[^1].Name);
        var service = await ServiceAsync();
        Assert.Equal(1000, service.Routing!.Weights["v1"]);
        Assert.Equal(["v1"], service.Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task Rolling_CrashLoopDuringWatch_RollsBack()
    {
        await DeployAsync("v1");
        Edge.Behave("v2", FakeReleaseBehaviour.CrashLoopsUnderTraffic);

        var result = await DeployAsync("v2", environment: Staging(watch: TimeSpan.FromMinutes(5)));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.StartsWith("Release v2 is crash-looping.", result.Reason, StringComparison.Ordinal);
        Assert.Equal(RolloutStepOutcome.Failed, result.Steps.Single(s => s.Name == "watch").Outcome);
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Rolling_ManualRollback_LeavesTheFailingReleaseServing()
    {
        await DeployAsync("v1");
        Edge.Behave("v2", FakeReleaseBehaviour.FailsSmokeUnderTraffic);

        var result = await DeployAsync("v2", environment: Staging(rollback: RollbackMode.Manual));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.DoesNotContain(result.Steps, s => s.Name == "rollback");
        var service = await ServiceAsync();
        Assert.Equal(1000, service.Routing!.Weights["v2"]);
        Assert.Equal(["v1", "v2"], service.Releases.Select(r => r.Version).Order());
    }

    [Fact]
    public async Task Rolling_FirstDeploymentFailingAfterTraffic_RemovesTheService()
    {
        Edge.Behave("v1", FakeReleaseBehaviour.FailsSmokeUnderTraffic);

        var result = await DeployAsync("v1");

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Null(await Edge.GetServiceAsync("staging", "web", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BlueGreen_GreenCheckedThroughPreviewThenSwitchedAtOnce_BlueKeptWarm()
    {
        await DeployAsync("v1");
        var environment = Staging(strategy: new BlueGreenStrategy(Here));

        var result = await DeployAsync("v2", environment: environment);

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Contains("preview.web.staging.localhost v2", _standIn.Requests);
        Assert.Contains(result.Steps, s => s.Name == "switch");
        Assert.Equal("keep-previous-warm", result.Steps[^1].Name);
        Assert.NotNull(result.KeepPreviousUntil);
        var service = await ServiceAsync();
        Assert.Equal(1000, service.Routing!.Weights["v2"]);
        Assert.Equal(0, service.Releases.Single(r => r.Version == "v1").Weight);
        Assert.Null(service.Routing.Preview);
        // One switch: no routing between the preview and the switch split traffic.
        Assert.All(Edge.RoutingHistory, h => Assert.Contains(h.Routing.Weights.Values, w => w == 1000));

        // The switch back is instant while blue is warm.
        var runner = Runner();
        Assert.True(await runner.TrySwitchBackAsync("staging", "web", "v1", TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task BlueGreen_NextDeployment_StopsTheBlueKeptWarm()
    {
        var environment = Staging(strategy: new BlueGreenStrategy(Here));
        await DeployAsync("v1", environment: environment);
        await DeployAsync("v2", environment: environment);

        var result = await DeployAsync("v3", environment: environment);

        Assert.Equal("stopped v1", result.Steps.Single(s => s.Name == "stop-stale").Message);
        Assert.Equal(["v2", "v3"], (await ServiceAsync()).Releases.Select(r => r.Version).Order());
    }

    [Fact]
    public async Task Rollout_ArtifactTheEdgeRefuses_FailsWithItsReason()
    {
        await DeployAsync("v1");

        var result = await DeployAsync("v2", tar: async ct =>
        {
            var stream = new MemoryStream();
            await using (var writer = new TarWriter(stream, leaveOpen: true))
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = "/etc/passwd" }, ct);
            }

            stream.Position = 0;
            return stream;
        });

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal("The edge refused the artifact: The artifact's entry 'escape' is not a regular file or directory inside it.", result.Reason);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task Rollout_MissingArtifactFile_FailsAndChangesNothing()
    {
        await DeployAsync("v1");

        var result = await DeployAsync("v2", tar: _ => throw new FileNotFoundException("/data/artifacts/x is gone"));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal($"The artifact {Digest("v2")} could not be read: /data/artifacts/x is gone", result.Reason);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task FakeEdge_WeightsNotAddingUp_Refused400()
    {
        await DeployAsync("v1");

        var refusal = await Assert.ThrowsAsync<EdgeApiException>(() =>
            Edge.SetRoutingAsync("staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 900 } }, TestContext.Current.CancellationToken));

        Assert.Equal(400, refusal.StatusCode);
    }

    [Fact]
    public async Task FakeEdge_WeightOnUnhealthyOrUnknownRelease_Refused()
    {
        await DeployAsync("v1");
        Edge.AddArtifact(Digest("v2"));
        Edge.Behave("v2", FakeReleaseBehaviour.NeverHealthy);
        await Edge.PutReleaseAsync("staging", "web", "v2", new EdgeReleaseSpec { ArtifactDigest = Digest("v2"), Command = "run" }, TestContext.Current.CancellationToken);

        var unhealthy = await Assert.ThrowsAsync<EdgeApiException>(() => Edge.SetRoutingAsync("staging", "web", Weights(("v1", 500), ("v2", 500)), TestContext.Current.CancellationToken));
        var unknown = await Assert.ThrowsAsync<EdgeApiException>(() => Edge.SetRoutingAsync("staging", "web", Weights(("v9", 1000)), TestContext.Current.CancellationToken));
        var weighted = await Assert.ThrowsAsync<EdgeApiException>(() => Edge.DeleteReleaseAsync("staging", "web", "v1", TestContext.Current.CancellationToken));

        Assert.Equal((409, 404, 409), (unhealthy.StatusCode, unknown.StatusCode, weighted.StatusCode));
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Rollout_EdgeDown_Throws()
    {
        Edge.Down = true;

        await Assert.ThrowsAsync<EdgeUnavailableException>(() => DeployAsync("v1"));
    }

    private static EdgeRoutingSpec Weights(params (string Version, int Weight)[] weights) =>
        new() { Weights = weights.ToDictionary(w => w.Version, w => w.Weight) };

    private RolloutRunner Runner() => new(Edge, new SmokeRunner(_http, TimeProvider.System), TimeProvider.System);

    private async Task<RolloutResult> DeployAsync(string version, EnvironmentDefinition? environment = null, TimeSpan? readyTimeout = null,
        Func<CancellationToken, Task<Stream>>? tar = null)
    {
        _log.Clear();
        return await Runner().RunAsync(
            new RolloutRequest
            {
                Service = new ServiceDefinition { Name = "web", Location = Here, Run = "python3 app.py" },
                Environment = environment ?? Staging(),
                Version = version,
                ArtifactDigest = Digest(version),
                OpenArtifact = tar ?? (_ => Task.FromResult(TestArtifacts.OneFileTar())),
                ReadyTimeout = readyTimeout ?? TimeSpan.FromSeconds(30),
                Log = line => _log.Add(line),
                Variables = new Dictionary<string, string> { ["GREETING"] = "hello" },
            },
            TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    private static EnvironmentDefinition Staging(TimeSpan? watch = null, RollbackMode rollback = RollbackMode.Automatic, RolloutStrategy? strategy = null) => new()
    {
        Name = "staging",
        Location = Here,
        Watch = watch ?? TimeSpan.Zero,
        Rollback = rollback,
        Strategy = strategy ?? RollingStrategy.Default,
        Smoke = [new SmokeCheck { Name = "home", Path = "/", BodyContains = "hello" }],
    };

    private async Task<EdgeServiceStatus> ServiceAsync() =>
        (await Edge.GetServiceAsync("staging", "web", TestContext.Current.CancellationToken))!;

    private static string Digest(string version) => "sha256:" + version.PadLeft(64, '0');
}
