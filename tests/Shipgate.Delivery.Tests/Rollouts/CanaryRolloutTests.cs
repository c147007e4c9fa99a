using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>The canary strategy on the fake edge, with a scripted analyst and a control the test gives verbs through.</summary>
public sealed class CanaryRolloutTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly SourceLocation Here = new("shipgate.yml", 1, 1);
    private readonly HttpClient _http = new();
    private readonly List<string> _log = [];
    private readonly FakeRolloutControl _control = new();
    private EdgeStandIn _standIn = null!;
    private ScriptedAnalyst _analyst = new((_, _) => AnalysisOutcome.Continue);

    private FakeEdgeClient Edge => _standIn.Edge;

    public async ValueTask InitializeAsync()
    {
        _standIn = await EdgeStandIn.StartAsync();
        await DeployAsync("v1", Production(RollingStrategy.Default));
    }

    public async ValueTask DisposeAsync()
    {
        await _standIn.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Canary_HealthyRelease_WeightsGrowStableKeepsItsInstancesThenAllTrafficAndStableStops()
    {
        _analyst = new((step, _) => step is null ? AnalysisOutcome.Continue : AnalysisOutcome.Passed);

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryPauseStep(TimeSpan.FromMilliseconds(50), Here),
            new CanaryWeightStep(50, Here), new CanaryAnalysisStep(TimeSpan.FromSeconds(1), Here), new CanaryWeightStep(100, Here))), instances: 4);

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal(
            ["declare-service", "upload-artifact", "stop-stale", "start-release", "wait-healthy", "preview", "smoke-before",
                "step-1-weight", "step-2-pause", "step-3-weight", "step-4-analysis", "step-5-weight", "scale-canary", "shift-traffic", "smoke-after", "watch", "stop-previous"],
            result.Steps.Select(s => s.Name));
        Assert.Equal(["route v1=900,v2=100", "route v1=500,v2=500", "route v1=0,v2=1000", "route v1=0,v2=1000", "delete v1"], Edge.Changes.SkipWhile(c => c != "route v1=900,v2=100"));
        Assert.Equal("started 1 instance(s) of v2", result.Steps.Single(s => s.Name == "start-release").Message);
        Assert.Equal("10% to v2 (1 instance(s)); v1 keeps 90%", result.Steps.Single(s => s.Name == "step-1-weight").Message);
        Assert.Equal("50% to v2 (2 instance(s) healthy); v1 keeps 50%", result.Steps.Single(s => s.Name == "step-3-weight").Message);
        Assert.StartsWith("passed: look", result.Steps.Single(s => s.Name == "step-4-analysis").Message, StringComparison.Ordinal);
        Assert.Equal([new CanarySubject("production", "web", "v1", "v2")], _analyst.Begun);
        Assert.Contains(_control.Decisions, d => d.Step == 4 && d.Decision.Outcome == AnalysisOutcome.Passed);
        Assert.Contains(_control.Reports, r => r is { Step: 3, CanaryPermille: 500, StableVersion: "v1", CanaryVersion: "v2", Steps: 5 });
        var service = await ServiceAsync();
        Assert.Equal(["v2"], service.Releases.Select(r => r.Version));
        Assert.Equal(4, service.Releases.Single().Instances);
    }

    [Fact]
    public async Task Canary_AnalysisFails_RoutesAllTrafficToStableFirstThenStopsTheCanary()
    {
        _analyst = new((step, look) => look >= 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(20, Here), new CanaryAnalysisStep(TimeSpan.FromMinutes(5), Here), new CanaryWeightStep(100, Here))));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("The analysis failed: look 2: Failed", result.Reason);
        Assert.Equal(["route v1=800,v2=200", "route v1=1000,v2=0", "delete v2"], Edge.Changes.SkipWhile(c => c != "route v1=800,v2=200"));
        Assert.Equal("rollback", result.Steps[^1].Name);
        Assert.Contains(_control.Decisions, d => d.Step == 2 && d.Decision.Outcome == AnalysisOutcome.Failed);
        var service = await ServiceAsync();
        Assert.Equal(["v1"], service.Releases.Select(r => r.Version));
        Assert.Equal(1000, service.Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Canary_GuardrailFailsBetweenAnalysisSteps_RollsBack()
    {
        _analyst = new((step, look) => step is null && look >= 3 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(5, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here))));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Canary_CrashLoopsUnderTraffic_RollsBack()
    {
        Edge.Behave("v2", FakeReleaseBehaviour.CrashLoopsUnderTraffic);

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here))));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("Release v2 is crash-looping.", result.Reason);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task Canary_OnFailureFreeze_HoldsTheSplitUntilAbortThenRollsBack()
    {
        _analyst = new((_, look) => look >= 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);
        _control.OnReport = p => p.WaitingFor?.StartsWith("promote or abort (frozen", StringComparison.Ordinal) == true ? new RolloutCommand(RolloutVerb.Abort, "bob") : null;
        var canary = Steps(new CanaryWeightStep(30, Here), new CanaryAnalysisStep(TimeSpan.FromMinutes(5), Here)) with { OnFailure = CanaryFailureAction.Freeze };

        var result = await DeployAsync("v2", Production(canary));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("Aborted by bob.", result.Reason);
        // Frozen at 30% (no routing change) until the abort, then routing back first.
        Assert.Equal(["route v1=700,v2=300", "route v1=1000,v2=0", "delete v2"], Edge.Changes.SkipWhile(c => c != "route v1=700,v2=300"));
    }

    [Fact]
    public async Task Canary_OnFailureFreeze_PromoteGoesOn()
    {
        _analyst = new((step, look) => look == 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);
        _control.OnReport = p => p.WaitingFor?.StartsWith("promote or abort", StringComparison.Ordinal) == true ? new RolloutCommand(RolloutVerb.Promote, "bob") : null;
        var canary = Steps(new CanaryWeightStep(30, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here), new CanaryWeightStep(60, Here)) with { OnFailure = CanaryFailureAction.Freeze };

        var result = await DeployAsync("v2", Production(canary));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("promoted by bob", result.Steps.Single(s => s.Name == "step-2-pause").Message);
    }

    [Fact]
    public async Task Canary_PauseWithoutDuration_WaitsForPromote()
    {
        _control.OnReport = p => p.WaitingFor == "promote (pause)" ? new RolloutCommand(RolloutVerb.Promote, "carol") : null;

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryPauseStep(null, Here), new CanaryWeightStep(100, Here))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("promoted by carol", result.Steps.Single(s => s.Name == "step-2-pause").Message);
        Assert.Contains(_control.Reports, r => r is { Step: 2, WaitingFor: "promote (pause)", CanaryPermille: 100 });
    }

    [Fact]
    public async Task Canary_PromoteFull_SkipsTheRemainingSteps()
    {
        _control.OnReport = p => p.WaitingFor == "promote (pause)" ? new RolloutCommand(RolloutVerb.PromoteFull, "carol") : null;

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryPauseStep(null, Here), new CanaryWeightStep(50, Here), new CanaryPauseStep(null, Here))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.DoesNotContain(result.Steps, s => s.Name == "step-3-weight");
        Assert.Equal(["route v1=900,v2=100", "route v1=0,v2=1000", "delete v1"], Edge.Changes.SkipWhile(c => c != "route v1=900,v2=100"));
    }

    [Fact]
    public async Task Canary_PauseVerb_HoldsAfterTheStepUntilResume()
    {
        var paused = false;
        _control.OnReport = p =>
        {
            if (p is { Step: 2, WaitingFor: null } && !paused)
            {
                paused = true;
                return new RolloutCommand(RolloutVerb.Pause, "dave");
            }

            return p.WaitingFor == "resume (paused by dave)" ? new RolloutCommand(RolloutVerb.Resume, "dave") : null;
        };

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryPauseStep(TimeSpan.FromMilliseconds(50), Here))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Contains(_control.Reports, r => r.WaitingFor == "resume (paused by dave)");
        Assert.Contains("Resumed by dave.", _log);
    }

    [Fact]
    public async Task Canary_Inconclusive_WaitsForPromote()
    {
        _analyst = new((step, _) => step is null ? AnalysisOutcome.Continue : AnalysisOutcome.Inconclusive);
        _control.OnReport = p => p.WaitingFor?.StartsWith("promote (the analysis was inconclusive", StringComparison.Ordinal) == true ? new RolloutCommand(RolloutVerb.Promote, "erin") : null;

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryAnalysisStep(TimeSpan.FromSeconds(1), Here))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Contains(_control.Decisions, d => d.Decision.Outcome == AnalysisOutcome.Inconclusive);
    }

    [Theory]
    [InlineData(InconclusivePolicy.Fail, RolloutStatus.RolledBack)]
    [InlineData(InconclusivePolicy.Promote, RolloutStatus.Succeeded)]
    public async Task Canary_InconclusiveWithItsPolicy_FailsOrGoesOnWithoutAPerson(InconclusivePolicy policy, RolloutStatus expected)
    {
        _analyst = new((step, _) => step is null ? AnalysisOutcome.Continue : AnalysisOutcome.Inconclusive);
        var analysis = new CanaryAnalysisStep(TimeSpan.FromSeconds(1), Here) { OnInconclusive = policy, Interval = TimeSpan.FromMilliseconds(10) };

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), analysis)));

        Assert.Equal(expected, result.Status);
        Assert.DoesNotContain(_control.Reports, r => r.WaitingFor is not null);
    }

    [Fact]
    public async Task Canary_ApprovalInDeploymentMode_IsSkippedWithANote()
    {
        var asked = 0;

        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryApprovalStep(null, Here))), approve: (_, _, _) => { asked++; return Task.FromResult((true, "")); });

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal(0, asked);
        var step = result.Steps.Single(s => s.Name == "step-2-approval");
        Assert.Equal(RolloutStepOutcome.Skipped, step.Outcome);
        Assert.Equal("skipped: production is in mode deployment, so the automated gates decide and no one is asked", step.Message);
    }

    [Fact]
    public async Task Canary_ApprovalRejectedInDeliveryMode_RollsBack()
    {
        var environment = Production(Steps(new CanaryWeightStep(10, Here), new CanaryApprovalStep(null, Here), new CanaryWeightStep(100, Here)), EnvironmentMode.Delivery);
        ApprovalDefinition? asked = null;

        var result = await DeployAsync("v2", environment, approve: (rules, step, _) => { asked = rules; return Task.FromResult((false, $"step {step} rejected by alice")); });

        Assert.Same(environment.Approval, asked);
        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("The approval of step 2 was not given: step 2 rejected by alice", result.Reason);
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Canary_PromoteDuringApproval_DoesNotDecideIt()
    {
        var approval = new TaskCompletionSource<(bool, string)>();
        var asked = false;
        _control.OnReport = p =>
        {
            if (asked && !approval.Task.IsCompleted)
            {
                approval.TrySetResult((true, "approved by alice"));
                return new RolloutCommand(RolloutVerb.Promote, "mallory");
            }

            return null;
        };
        var environment = Production(Steps(new CanaryWeightStep(10, Here), new CanaryApprovalStep(null, Here)), EnvironmentMode.Delivery);

        var result = await DeployAsync("v2", environment, approve: (_, _, _) => { asked = true; return approval.Task; });

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("approved by alice", result.Steps.Single(s => s.Name == "step-2-approval").Message);
        Assert.Contains(_log, l => l.StartsWith("mallory promoted, but a promote does not decide an approval step", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Canary_MirrorStep_CopiesToTheCanaryAtWeightZeroThenStops()
    {
        var result = await DeployAsync("v2", Production(Steps(new CanaryMirrorStep(25, TimeSpan.FromMilliseconds(50), Here), new CanaryWeightStep(10, Here))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        var routings = Edge.RoutingHistory.Select(h => h.Routing).ToList();
        var mirrored = Assert.Single(routings, r => r.Mirror is not null);
        Assert.Equal(new EdgeMirrorSpec { Version = "v2", Permille = 250 }.Permille, mirrored.Mirror!.Permille);
        Assert.Equal("v2", mirrored.Mirror.Version);
        Assert.Equal(0, mirrored.Weights["v2"]);
        Assert.Null(routings[^1].Mirror);
        Assert.StartsWith("mirrored 25% for ", result.Steps.Single(s => s.Name == "step-1-mirror").Message, StringComparison.Ordinal);
        Assert.Single(_analyst.Begun);
    }

    [Fact]
    public async Task Shadow_AnswersAgree_MirrorsAndComparesThenTakesAllTraffic()
    {
        Edge.MirrorComparison = reads => new EdgeMirrorComparison { Compared = reads * 10 };
        var shadow = Shadow(new ShadowComparison { MinRequests = 20, BodyPaths = ["/api/**"], IgnoreFields = ["timestamp"] }, TimeSpan.FromMilliseconds(200));

        var result = await DeployAsync("v2", Production(shadow), instances: 4);

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        var mirrored = Assert.Single(Edge.RoutingHistory.Select(h => h.Routing), r => r.Mirror is not null);
        Assert.Equal(0, mirrored.Weights["v2"]);
        Assert.Equal(new EdgeMirrorSpec { Version = "v2", Permille = 500 }.Methods, mirrored.Mirror!.Methods);
        Assert.Equal((500, true, (double?)null), (mirrored.Mirror.Permille, mirrored.Mirror.Compare!.Status, mirrored.Mirror.Compare.LatencyRatio));
        Assert.Equal(["/api/**"], mirrored.Mirror.Compare.BodyPaths);
        Assert.Equal(["timestamp"], mirrored.Mirror.Compare.IgnoreFields);
        Assert.Contains("compared answers differed (0%; max-mismatch 1%)", result.Steps.Single(s => s.Name == "step-1-mirror").Message, StringComparison.Ordinal);
        Assert.Equal("4 instance(s) healthy", result.Steps.Single(s => s.Name == "scale-canary").Message);
        Assert.Equal(["route v1=0,v2=1000", "delete v1"], Edge.Changes.SkipWhile(c => !c.StartsWith("route v1=0,", StringComparison.Ordinal)));
        Assert.Contains(_control.Reports, r => r.Shadow is { Compared: > 0, Mismatched: 0, Compares: "status, body on /api/** ignoring timestamp" });
    }

    [Fact]
    public async Task Shadow_TooManyAnswersDiffer_HeldBackWithTheMismatchRecordedStableUntouched()
    {
        Edge.MirrorComparison = reads => new EdgeMirrorComparison
        {
            Compared = reads * 10,
            Mismatched = reads * 3,
            BodyMismatches = reads * 3,
            Examples = [Example(reads)],
        };

        var result = await DeployAsync("v2", Production(Shadow(new ShadowComparison { MinRequests = 20 }, TimeSpan.FromMinutes(5))));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Matches(@"^Held back: \d+ of \d+ compared answers differed \(30%; max-mismatch 1%\): body \d+\. For example GET /api/greeting\?user=\*\*\*: body differs at \$\.greeting \(new vs stable\)\.$", result.Reason);
        var routings = Edge.RoutingHistory.Select(h => h.Routing).ToList();
        Assert.All(routings, r => Assert.Equal(1000, r.Weights["v1"]));
        Assert.Null(routings[^1].Mirror);
        Assert.Equal("delete v2", Edge.Changes[^1]);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
        var last = _control.Reports[^1].Shadow!;
        Assert.True(last.OverLimit);
        Assert.Equal("{\"greeting\":\"hi\"}", last.Examples[^1].MirrorBody);
    }

    [Fact]
    public async Task Shadow_TooFewComparedAndOnInconclusiveFail_FailsNeverSucceedsSilently()
    {
        Edge.MirrorComparison = _ => new EdgeMirrorComparison { Compared = 3 };

        var result = await DeployAsync("v2", Production(Shadow(new ShadowComparison { OnInconclusive = InconclusivePolicy.Fail }, TimeSpan.FromMilliseconds(100))));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.StartsWith("The shadow phase was inconclusive and its on-inconclusive is fail: 3 answer(s) were compared in ", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith(", fewer than min-requests 100.", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task Shadow_TooFewComparedByDefault_WaitsForAPersonThenPromotes()
    {
        Edge.MirrorComparison = _ => new EdgeMirrorComparison();
        var promoted = 0;
        _control.OnReport = p => p.WaitingFor?.StartsWith("promote (the shadow phase was inconclusive", StringComparison.Ordinal) == true
            && Interlocked.Exchange(ref promoted, 1) == 0 ? new RolloutCommand(RolloutVerb.Promote, "alice") : null;

        var result = await DeployAsync("v2", Production(Shadow(new ShadowComparison(), TimeSpan.FromMilliseconds(50))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Contains("promoted by alice", result.Steps.Single(s => s.Name == "step-1-mirror").Message, StringComparison.Ordinal);
    }

    private static ShadowStrategy Shadow(ShadowComparison compare, TimeSpan duration) =>
        new(new CanaryMirrorStep(50, duration, Here) { Compare = compare }, Here);

    private static EdgeMirrorExample Example(int reads) => new()
    {
        At = DateTimeOffset.UnixEpoch.AddSeconds(reads),
        Method = "GET",
        Path = "/api/greeting?user=***",
        Differences = ["body"],
        PrimaryStatus = 200,
        MirrorStatus = 200,
        PrimaryMillis = 1,
        MirrorMillis = 1,
        BodyDifference = "$.greeting",
        PrimaryBody = "{\"greeting\":\"hello\"}",
        MirrorBody = "{\"greeting\":\"hi\"}",
    };

    [Fact]
    public async Task Canary_HeaderRoute_SendsMatchingRequestsToTheCanaryUntilPromoted()
    {
        var result = await DeployAsync("v2", Production(Steps(new CanaryHeaderRouteStep("X-Canary", "1", Here), new CanaryWeightStep(10, Here))));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        var routings = Edge.RoutingHistory.Select(h => h.Routing).ToList();
        Assert.Contains(routings, r => r.HeaderRoutes.SequenceEqual([new EdgeHeaderRoute("X-Canary", "1", "v2")]) && r.Weights["v2"] == 0);
        Assert.Contains(routings, r => r.HeaderRoutes.Count == 1 && r.Weights["v2"] == 100);
        Assert.Empty(routings[^1].HeaderRoutes);
        Assert.Single(_analyst.Begun);
    }

    [Fact]
    public async Task Canary_AbortDuringWatch_RollsBack()
    {
        _control.OnReport = p => p.StepKind == "promote" ? new RolloutCommand(RolloutVerb.Abort, "frank") : null;
        var environment = Production(Steps(new CanaryWeightStep(50, Here)), watch: TimeSpan.FromMinutes(5));

        var result = await DeployAsync("v2", environment);

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("Aborted by frank.", result.Reason);
        Assert.Equal("watch", result.Steps[^2].Name);
        Assert.Equal(1000, (await ServiceAsync()).Routing!.Weights["v1"]);
    }

    [Fact]
    public async Task Canary_WaitForPromoteWithoutServer_FailsWithOneSentence()
    {
        var result = await DeployAsync("v2", Production(Steps(new CanaryWeightStep(10, Here), new CanaryPauseStep(null, Here))), control: false);

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("The canary waits for promote (pause), which needs a server: deploy through 'shipgate up'.", result.Reason);
    }

    [Fact]
    public async Task Canary_FirstDeployment_TakesAllTrafficAtOnce()
    {
        var result = await DeployAsync("v1", Production(Steps(new CanaryWeightStep(10, Here)), service: "api"), service: "api");

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("skipped: nothing serves yet, so the first release takes all traffic at once", result.Steps.Single(s => s.Name == "canary-steps").Message);
    }

    private static CanaryStrategy Steps(params CanaryStep[] steps) => new(steps, Here);

    private RolloutRunner Runner() => new(Edge, new SmokeRunner(_http, TimeProvider.System), TimeProvider.System, _analyst);

    private async Task<RolloutResult> DeployAsync(
        string version,
        EnvironmentDefinition environment,
        int instances = 1,
        Func<ApprovalDefinition, int, CancellationToken, Task<(bool, string)>>? approve = null,
        bool control = true,
        string service = "web")
    {
        _log.Clear();
        return await Runner().RunAsync(
            new RolloutRequest
            {
                Service = new ServiceDefinition { Name = service, Location = Here, Run = "python3 app.py", Instances = instances },
                Environment = environment,
                Version = version,
                ArtifactDigest = "sha256:" + version.PadLeft(64, '0'),
                OpenArtifact = _ => Task.FromResult(TestArtifacts.OneFileTar()),
                ReadyTimeout = TimeSpan.FromSeconds(30),
                Log = line => { lock (_log) { _log.Add(line); } },
                Control = control ? _control : null,
                Approve = approve,
                LookInterval = TimeSpan.FromMilliseconds(10),
            },
            TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    private static EnvironmentDefinition Production(RolloutStrategy strategy, EnvironmentMode mode = EnvironmentMode.Deployment, TimeSpan? watch = null, string service = "web") => new()
    {
        Name = "production",
        Location = Here,
        Mode = mode,
        Watch = watch ?? TimeSpan.Zero,
        Strategy = strategy,
        Approval = new ApprovalDefinition { Reviewers = [ReviewerReference.Parse("alice")] },
        Smoke = [new SmokeCheck { Name = "home", Path = "/", BodyContains = "hello" }],
    };

    private async Task<EdgeServiceStatus> ServiceAsync() =>
        (await Edge.GetServiceAsync("production", "web", TestContext.Current.CancellationToken))!;
}
