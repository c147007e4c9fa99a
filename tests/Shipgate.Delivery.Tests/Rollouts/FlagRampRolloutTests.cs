using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>The flag-ramp strategy on the fake edge, with flags held in memory, a scripted (or the real) analyst and a control for verbs.</summary>
public sealed class FlagRampRolloutTests : IAsyncLifetime
{
    private const string Key = "new-checkout";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly SourceLocation Here = new("shipgate.yml", 1, 1);
    private readonly HttpClient _http = new();
    private readonly FakeRolloutControl _control = new();
    private readonly FakeFlagRampControl _flags = new();
    private EdgeStandIn _standIn = null!;
    private ICanaryAnalyst _analyst = new ScriptedAnalyst((_, _) => AnalysisOutcome.Continue);

    private FakeEdgeClient Edge => _standIn.Edge;

    public async ValueTask InitializeAsync()
    {
        _standIn = await EdgeStandIn.StartAsync();
        _flags.Set(Key, new FlagRampState(false, null, "off"));
        Assert.Equal(RolloutStatus.Succeeded, (await DeployAsync("v1", RollingStrategy.Default)).Status);
    }

    public async ValueTask DisposeAsync()
    {
        await _standIn.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task FlagRamp_HealthyFeature_DeploysDarkThenRaisesTheFlagStepByStep()
    {
        var analyst = new ScriptedAnalyst((step, _) => step is null ? AnalysisOutcome.Continue : AnalysisOutcome.Passed);
        _analyst = analyst;

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(5, Here), new CanaryAnalysisStep(TimeSpan.FromSeconds(1), Here),
            new FlagPercentStep(50, Here), new CanaryPauseStep(TimeSpan.FromMilliseconds(50), Here), new FlagPercentStep(100, Here)));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal(
            ["check-flag", "declare-service", "upload-artifact", "stop-stale", "start-release", "wait-healthy", "smoke-before", "shift-traffic", "smoke-after",
                "watch", "stop-previous", "step-1-percent", "step-2-analysis", "step-3-percent", "step-4-pause", "step-5-percent"],
            result.Steps.Select(s => s.Name));
        Assert.Equal("new-checkout is off; users outside its rollout will get off", result.Steps[0].Message);
        // Deployed dark: all traffic moved to v2 before the flag changed at all, and v1 stopped.
        Assert.Equal(["percent 5", "percent 50", "percent 100"], _flags.Changes);
        Assert.Equal("Step 3 of the flag ramp of web v2 in production: 50%.", _flags.Reasons[1]);
        Assert.Equal("new-checkout on for 5% of users; the rest get off", result.Steps.Single(s => s.Name == "step-1-percent").Message);
        Assert.Equal([new CanarySubject("production", "web", "v2", "v2") { Flag = new FlagSubject(Key, "off") }], analyst.Begun);
        Assert.Contains(_control.Reports, r => r is { Step: 3, Flag: Key, CanaryPermille: 500, CanaryVersion: "v2", Steps: 5 });
        Assert.Contains(_control.Decisions, d => d.Step == 2 && d.Decision.Outcome == AnalysisOutcome.Passed);
        Assert.Equal(new FlagRampState(true, 100, "off"), _flags.Get(Key));
        var service = await ServiceAsync();
        Assert.Equal(["v2"], service.Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task FlagRamp_AnalysisFails_TurnsTheFlagOffAtOnceAndTheReleaseKeepsServing()
    {
        _analyst = new ScriptedAnalyst((_, look) => look >= 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new CanaryAnalysisStep(TimeSpan.FromMinutes(5), Here), new FlagPercentStep(100, Here)));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("The analysis failed: look 2: Failed The flag new-checkout was turned off.", result.Reason);
        Assert.Equal(["percent 10", "off"], _flags.Changes);
        Assert.Equal("The flag ramp of web v2 in production failed: The analysis failed: look 2: Failed", _flags.Reasons[1]);
        Assert.Equal("flag-off", result.Steps[^1].Name);
        Assert.Equal("new-checkout turned off: every user gets its off variant; v2 keeps serving", result.Steps[^1].Message);
        Assert.Equal(new FlagRampState(false, 10, "off"), _flags.Get(Key));
        var service = await ServiceAsync();
        Assert.Equal(["v2"], service.Releases.Select(r => r.Version));
        Assert.Equal(1000, service.Routing!.Weights["v2"]);
    }

    [Fact]
    public async Task FlagRamp_RealAnalystOnTheEdgesFlagCounts_FlagOnErrorsTurnItOff()
    {
        _analyst = new CanaryAnalyst(Edge, TimeProvider.System);
        Edge.FlagMetrics = (version, reads) => version != "v2" ? [] :
        [
            Counts("off", requests: 100L * reads, errors: 0),
            Counts("on", requests: 100L * reads, errors: 40L * reads),
        ];

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here)));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.StartsWith("The analysis failed: ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("flag on 40% (", result.Reason, StringComparison.Ordinal);
        Assert.Contains("flag off 0% (0/", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith("The flag new-checkout was turned off.", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["percent 10", "off"], _flags.Changes);
        var traffic = _control.Reports.Last(r => r.Traffic.Count > 0).Traffic;
        Assert.Equal(["new-checkout off", "new-checkout on"], traffic.Select(t => t.Version));
        Assert.Equal(0.4, traffic[1].ErrorRate, 3);
    }

    [Fact]
    public async Task FlagRamp_RealAnalyst_VariantsCountedAsOtherAreOnNeitherSide()
    {
        _analyst = new CanaryAnalyst(Edge, TimeProvider.System);
        Edge.FlagMetrics = (version, reads) => version != "v2" ? [] :
        [
            Counts("off", requests: 100L * reads, errors: 0),
            Counts("on", requests: 100L * reads, errors: 0),
            Counts("(other)", requests: 100L * reads, errors: 100L * reads),
            new EdgeFlagMetrics { Key = "another-flag", Variant = "on", Requests = 100L * reads, Status5xx = 100L * reads },
        ];
        var analysis = new CanaryAnalysisStep(TimeSpan.FromMilliseconds(300), Here) { Interval = TimeSpan.FromMilliseconds(20), MinRequests = 50 };

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), analysis, new FlagPercentStep(100, Here)));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.StartsWith("passed: no metric failed over ", result.Steps.Single(s => s.Name == "step-2-analysis").Message, StringComparison.Ordinal);
        Assert.Contains(" flag on requests in ", result.Steps.Single(s => s.Name == "step-2-analysis").Message, StringComparison.Ordinal);
        Assert.Equal(["percent 10", "percent 100"], _flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_VersionServesAlready_OnlyTheFlagChanges()
    {
        var changes = Edge.Changes.Count;

        var result = await DeployAsync("v1", Ramp(new FlagPercentStep(20, Here)));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal(["check-flag", "declare-service", "deploy", "step-1-percent"], result.Steps.Select(s => s.Name));
        Assert.Equal("skipped: v1 serves all of web's traffic already, so only the flag changes", result.Steps[2].Message);
        Assert.Equal(changes, Edge.Changes.Count);
        Assert.Equal(["percent 20"], _flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_FlagServesMoreAlready_LowerStepsAreSkippedNeverLowered()
    {
        _flags.Set(Key, new FlagRampState(true, 50, "off"));

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new FlagPercentStep(50, Here), new FlagPercentStep(100, Here)));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("skipped: new-checkout is on for 50% already", result.Steps.Single(s => s.Name == "step-1-percent").Message);
        Assert.Equal(RolloutStepOutcome.Skipped, result.Steps.Single(s => s.Name == "step-2-percent").Outcome);
        Assert.Equal(["percent 100"], _flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_NoSuchFlag_FailsBeforeTheEdgeIsTouched()
    {
        var changes = Edge.Changes.Count;

        var result = await DeployAsync("v2", new FlagRampStrategy("no-such-flag", [new FlagPercentStep(10, Here)], Here));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal("production has no flag 'no-such-flag' to ramp: declare it under 'flags:' in shipgate.yml or create it with 'shipgate flag create'.", result.Reason);
        Assert.Equal(["check-flag"], result.Steps.Select(s => s.Name));
        Assert.Equal(changes, Edge.Changes.Count);
        Assert.Equal(["v1"], (await ServiceAsync()).Releases.Select(r => r.Version));
    }

    [Fact]
    public async Task FlagRamp_WithoutAServer_FailsWithOneSentence()
    {
        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here)), flags: false);

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal("The flag strategy changes production's flag new-checkout, and flags live on a server: deploy through 'shipgate up'.", result.Reason);
        Assert.Empty(_flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_Aborted_TurnsTheFlagOff()
    {
        _control.OnReport = p => p is { StepKind: "pause", Step: 2 } ? new RolloutCommand(RolloutVerb.Abort, "bob") : null;

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new CanaryPauseStep(null, Here), new FlagPercentStep(100, Here)));

        Assert.Equal(RolloutStatus.RolledBack, result.Status);
        Assert.Equal("Aborted by bob. The flag new-checkout was turned off.", result.Reason);
        Assert.Equal(["percent 10", "off"], _flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_PromoteFull_SkipsTheRestAndServesEveryone()
    {
        _control.OnReport = p => p.WaitingFor == "promote (pause)" ? new RolloutCommand(RolloutVerb.PromoteFull, "carol") : null;

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new CanaryPauseStep(null, Here), new FlagPercentStep(50, Here)));

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal(["percent 10", "percent 100"], _flags.Changes);
        Assert.Equal("promote-full", result.Steps[^1].Name);
    }

    [Fact]
    public async Task FlagRamp_OnFailureFreeze_HoldsTheFlagUntilPromote()
    {
        _analyst = new ScriptedAnalyst((_, look) => look == 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);
        _control.OnReport = p => p.WaitingFor?.StartsWith("promote or abort (frozen", StringComparison.Ordinal) == true ? new RolloutCommand(RolloutVerb.Promote, "bob") : null;
        var ramp = Ramp(new FlagPercentStep(30, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here), new FlagPercentStep(60, Here)) with { OnFailure = CanaryFailureAction.Freeze };

        var result = await DeployAsync("v2", ramp);

        Assert.Equal(RolloutStatus.Succeeded, result.Status);
        Assert.Equal("promoted by bob", result.Steps.Single(s => s.Name == "step-2-pause").Message);
        Assert.Equal(["percent 30", "percent 60"], _flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_RollbackManual_LeavesTheFlagAsItIs()
    {
        _analyst = new ScriptedAnalyst((_, look) => look >= 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here)), rollback: RollbackMode.Manual);

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.Equal(["percent 10"], _flags.Changes);
    }

    [Fact]
    public async Task FlagRamp_TheFlagCannotBeTurnedOff_FailsSayingSo()
    {
        _analyst = new ScriptedAnalyst((_, look) => look >= 2 ? AnalysisOutcome.Failed : AnalysisOutcome.Continue);
        _control.OnReport = p => { if (p.Step == 2) { _flags.Refusal = "The flag 'new-checkout' is not valid."; } return null; };

        var result = await DeployAsync("v2", Ramp(new FlagPercentStep(10, Here), new CanaryPauseStep(TimeSpan.FromMinutes(5), Here)));

        Assert.Equal(RolloutStatus.Failed, result.Status);
        Assert.EndsWith("The flag new-checkout could not be turned off: The flag 'new-checkout' is not valid.", result.Reason, StringComparison.Ordinal);
    }

    private static EdgeFlagMetrics Counts(string variant, long requests, long errors) => new()
    {
        Key = Key,
        Variant = variant,
        Requests = requests,
        Status2xx = requests - errors,
        Status5xx = errors,
        Latency = [new EdgeHistogramBucket(1000, requests)],
    };

    private static FlagRampStrategy Ramp(params CanaryStep[] steps) => new(Key, steps, Here);

    private async Task<RolloutResult> DeployAsync(string version, RolloutStrategy strategy, bool flags = true, RollbackMode rollback = RollbackMode.Automatic) =>
        await new RolloutRunner(Edge, new SmokeRunner(_http, TimeProvider.System), TimeProvider.System, _analyst).RunAsync(
            new RolloutRequest
            {
                Service = new ServiceDefinition { Name = "web", Location = Here, Run = "python3 app.py" },
                Environment = new EnvironmentDefinition
                {
                    Name = "production",
                    Location = Here,
                    Mode = EnvironmentMode.Deployment,
                    Watch = TimeSpan.Zero,
                    Strategy = strategy,
                    Rollback = rollback,
                    Smoke = [new SmokeCheck { Name = "home", Path = "/", BodyContains = "hello" }],
                },
                Version = version,
                ArtifactDigest = "sha256:" + version.PadLeft(64, '0'),
                OpenArtifact = _ => Task.FromResult(TestArtifacts.OneFileTar()),
                ReadyTimeout = TimeSpan.FromSeconds(30),
                Control = _control,
                Flags = flags ? _flags : null,
                LookInterval = TimeSpan.FromMilliseconds(10),
            },
            TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

    private async Task<EdgeServiceStatus> ServiceAsync() =>
        (await Edge.GetServiceAsync("production", "web", TestContext.Current.CancellationToken))!;
}
