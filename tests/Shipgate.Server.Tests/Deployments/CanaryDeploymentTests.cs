using System.Globalization;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// Issue 9's end-to-end test, with real parts only: the real <c>shipgate up</c>, its edge, a Python service deployed by
/// <c>shipgate/deploy</c> with the canary strategy, the server's analyst, and a client sending 300 requests per second
/// through the edge. v1 is deployed; v2 fails half its requests and is rolled back by itself; v3 is healthy, waits at a
/// <c>pause: {}</c>, where the verbs' refusals are tried, and is promoted to 100% with <c>shipgate promote</c>. The
/// client sees no failure but v2's own, and none once v2 was rolled back.
/// </summary>
public sealed class CanaryDeploymentTests
{
    // FAIL_EVERY in the release makes every Nth answer of "/" a 500; /health stays healthy, so only traffic shows it.
    internal static readonly string Service = PythonService.Script("""
        import os, threading

        VERSION = os.environ.get("SHIPGATE_VERSION", "?")
        FAIL_EVERY = int(open("FAIL_EVERY").read()) if os.path.exists("FAIL_EVERY") else 0
        lock, served = threading.Lock(), [0]

        def answer(path):
            if path == "/health":
                return 200, b"ok", {}
            with lock:
                served[0] += 1
                n = served[0]
            return (500, b"injected", {}) if FAIL_EVERY and n % FAIL_EVERY == 0 else (200, ("hello from " + VERSION).encode(), {})
        """);

    private const string Config = """
        services:
          web:
            run: python3 app.py
            instances: 2
            health-interval: 200ms
            drain-timeout: 5s
        environments:
          production:
            mode: deployment
            watch: 0s
            smoke:
              - path: /health
            strategy:
              canary:
                steps:
                  - weight: 20
                  - analysis: { duration: 3s }
                  - weight: 50
                  - pause: {}
                  - weight: 100
        """;

    [Fact]
    public async Task Canary_BadReleaseRolledBackByItself_GoodOnePromoted_ClientSeesOnlyTheBadOnesFailures()
    {
        using var repository = new TestRepository();
        repository.Write("app/app.py", Service);
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        var v1 = repository.Commit("the service")[..7];
        await using var up = await ShipgateUp.StartAsync();
        var first = await up.DispatchAsync(repository, "deploy.yml");
        await up.ExpectRunAsync(first, "success");
        await using var probe = TrafficProbe.Start(await up.EdgeAsync(), "web.production.localhost");
        await probe.WaitForAnswersFromAsync(v1);

        // v2 fails every second request: the analysis fails it at 20%, and traffic goes back to v1 by itself.
        repository.Write("app/FAIL_EVERY", "2\n");
        var v2 = repository.Commit("a release that fails half its requests")[..7];
        await up.ExpectRunAsync(await up.DispatchAgainAsync(), "failure");

        // Retried, v2 runs the canary again from its first step, outside the run, and is rolled back again.
        var v2Id = (await up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray)).Single(d => d.Version == v2).Id.ToString(CultureInfo.InvariantCulture);
        var retry = await up.JsonAsync(["retry", v2Id], ApiJsonContext.Default.DeploymentResponse);
        var retried = await EventuallyAsync(
            async () => Assert.Single(await up.JsonAsync(["rollout", "status", retry.Id.ToString(CultureInfo.InvariantCulture)], ApiJsonContext.Default.DeploymentResponseArray)) is { Status: not ("progressing" or "paused") } done ? done : null,
            "the retried canary to end");
        var failedAfterRollback = probe.Failed;
        await probe.WaitForAnswersFromAsync(v1, 300);
        var stillFailed = probe.Failed;

        // v3 is healthy: it waits at the pause for a person.
        repository.Write("app/FAIL_EVERY", "0\n");
        var v3 = repository.Commit("a healthy release")[..7];
        var third = await up.DispatchAgainAsync();
        var paused = await EventuallyAsync(
            async () => (await up.JsonAsync(["rollout", "status"], ApiJsonContext.Default.DeploymentResponseArray)).FirstOrDefault(d => d.Progress?.WaitingFor == "promote (pause)"),
            "v3's canary to wait at its pause");
        var id = paused.Id.ToString(CultureInfo.InvariantCulture);
        await probe.WaitForAnswersFromAsync(v3);

        // The refusals, each changing nothing: a developer, an approver of another environment, a verb that does not fit.
        var developer = (await up.RunAsync(["user", "add", "dev", "--role", "developer"])).LastLine;
        var stagingApprover = (await up.RunAsync(["user", "add", "stan", "--role", "approver", "--env", "staging"])).LastLine;
        var byDeveloper = await up.RunAsync(["promote", id], developer);
        var byOtherEnvironment = await up.RunAsync(["abort", id], stagingApprover);
        var resumeUnpaused = await up.RunAsync(["resume", id]);
        var retryRunning = await up.RunAsync(["retry", id]);
        var status = await up.JsonAsync(["rollout", "status", id], ApiJsonContext.Default.DeploymentResponseArray);

        // Paused by a person: a second pause does not fit; resume lets it go on.
        var pause = await up.RunAsync(["pause", id]);
        await EventuallyAsync(
            async () => (await up.JsonAsync(["rollout", "status", id], ApiJsonContext.Default.DeploymentResponseArray)).FirstOrDefault(d => d.Progress?.WaitingFor?.StartsWith("resume (paused by", StringComparison.Ordinal) == true),
            "the pause to be taken");
        var pauseAgain = await up.RunAsync(["pause", id]);
        var resume = await up.RunAsync(["resume", id]);

        var promoted = await up.RunAsync(["promote", id, "--reason", "v3 looks fine"]);
        await up.ExpectRunAsync(third, "success");
        var afterEnd = await up.RunAsync(["promote", id]);
        await probe.WaitForAnswersFromAsync(v3, 100);
        await probe.StopAsync();
        var deployments = await up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray);
        var audit = await up.RunAsync(["audit", "export"]);

        TestContext.Current.TestOutputHelper?.WriteLine(probe.Describe());
        var rolledBack = Assert.Single(deployments, d => d.Id.ToString(CultureInfo.InvariantCulture) == v2Id);
        Assert.True(rolledBack.Status == "rolled-back", $"{rolledBack.Status}: {rolledBack.Reason}\n" + string.Join("\n", rolledBack.Steps.Select(s => $"{s.Name} {s.Outcome} {s.Message}")));
        Assert.StartsWith("The analysis failed:", rolledBack.Reason, StringComparison.Ordinal);
        Assert.Contains(rolledBack.Decisions, d => d.Outcome == Delivery.Analysis.AnalysisOutcome.Failed && d.Measurements.Count > 0);
        Assert.Equal("deployment: the automated gates", rolledBack.DecidedBy);
        // Only v2 failed, and nothing failed once it was rolled back.
        Assert.True(probe.FailedByVersion.Keys.All(v => v == v2), probe.Describe());
        Assert.True(probe.FailedByVersion.GetValueOrDefault(v2) > 0, probe.Describe());
        Assert.Equal(failedAfterRollback, stillFailed);
        Assert.True(retried.Status == "rolled-back", $"{retried.Status}: {retried.Reason}");
        Assert.Equal(("canary", v2, $"retry by {retried.DecidedBy!["retry by ".Length..].Split(' ')[0]} of deployment {v2Id}"), (retried.Strategy, retried.Version, retried.DecidedBy));
        Assert.Equal(stillFailed, probe.Failed);

        Assert.True(byDeveloper.ExitCode == 3, byDeveloper.ToString());
        Assert.True(byOtherEnvironment.ExitCode == 3, byOtherEnvironment.ToString());
        Assert.Contains("may not abort deployments in production", byOtherEnvironment.Stderr, StringComparison.Ordinal);
        Assert.True(resumeUnpaused.ExitCode == 4, resumeUnpaused.ToString());
        Assert.Contains("is not paused", resumeUnpaused.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, retryRunning.ExitCode);
        Assert.Equal("promote (pause)", Assert.Single(status).Progress!.WaitingFor);
        Assert.Equal([v1, v3], Assert.Single(status).Progress!.Traffic.Select(t => t.Version));
        Assert.True(pause.ExitCode == 0 && resume.ExitCode == 0, pause + "\n" + resume);
        Assert.True(pauseAgain.ExitCode == 4, pauseAgain.ToString());
        Assert.Contains("is paused already", pauseAgain.Stderr, StringComparison.Ordinal);
        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        Assert.Equal(4, afterEnd.ExitCode);
        Assert.Contains("only a running deployment takes promote", afterEnd.Stderr, StringComparison.Ordinal);
        var succeeded = Assert.Single(deployments, d => d.Version == v3);
        Assert.Equal("succeeded", succeeded.Status);
        Assert.StartsWith("promoted by ", succeeded.Steps.Single(s => s.Name == "step-4-pause").Message, StringComparison.Ordinal);
        Assert.Contains("deployment.promote", audit.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("deployment.abort", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("deployment.retry", audit.Stdout, StringComparison.Ordinal);
    }
}
