using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// Issue 10's flag-ramp test, with real parts only: the real <c>shipgate up</c>, its edge, a Python service deployed by
/// <c>shipgate/deploy</c> with <c>strategy: flag</c>, which asks the server for its flag over OFREP on every request (with
/// the address and client key the edge gave it) and says which variant served in <c>X-Shipgate-Flags</c>, and a client
/// sending 100 requests a second through the edge. v1's new checkout fails: the ramp turns the flag off by itself and
/// v1 keeps serving the old checkout; v2 fixes it, is deployed dark and ramped to everyone.
/// </summary>
public sealed class FlagRampDeploymentTests
{
    // Each request is another user (user-N): the flag's rollout decides per user, as a real service's would.
    internal static readonly string Service = PythonService.Script("""
        import json, os, threading, urllib.request

        URL, KEY = os.environ["SHIPGATE_FLAGS_URL"], os.environ["SHIPGATE_FLAGS_KEY"]
        BROKEN = os.path.exists("BROKEN")
        lock, served = threading.Lock(), [0]

        def variant(user):
            request = urllib.request.Request(
                URL + "/ofrep/v1/evaluate/flags/new-checkout",
                data=json.dumps({"context": {"targetingKey": user}}).encode(),
                headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=5) as answered:
                return json.load(answered).get("variant") or "off"

        def answer(path):
            if path == "/health":
                return 200, b"ok", {}
            with lock:
                served[0] += 1
                user = "user-%d" % served[0]
            chosen = variant(user)
            headers = {"X-Shipgate-Flags": "new-checkout=" + chosen}
            if chosen != "on":
                return 200, b"old checkout", headers
            return (500, b"new checkout failed", headers) if BROKEN else (200, b"new checkout", headers)
        """);

    private const string Config = """
        services:
          web:
            run: python3 app.py
            health-interval: 200ms
            drain-timeout: 5s
        flags:
          new-checkout:
            type: boolean
            variants: { on: true, off: false }
            default-variant: off
            enabled: false
        environments:
          production:
            mode: deployment
            watch: 0s
            smoke:
              - path: /health
            strategy:
              flag:
                key: new-checkout
                steps:
                  - percent: 20
                  - analysis: { duration: 3s, min-requests: 20 }
                  - percent: 100
        """;

    [Fact]
    public async Task FlagRamp_BrokenFeatureTurnedOffByItself_FixedOneRampedToEveryone()
    {
        using var repository = new TestRepository();
        repository.Write("app/app.py", Service);
        repository.Write("app/BROKEN", "the new checkout fails\n");
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        var v1 = repository.Commit("the service, with a broken new checkout behind new-checkout")[..7];
        await using var up = await ShipgateUp.StartAsync();
        await using var probe = TrafficProbe.Start(await up.EdgeAsync(), "web.production.localhost", "/checkout", requestsPerSecond: 100, connections: 4);

        // v1 is deployed dark and the flag ramped to 20%: its users get 500s, the analysis fails, the flag goes off.
        await up.ExpectRunAsync(await up.DispatchAsync(repository, "deploy.yml"), "failure");
        var failedAtTheEnd = probe.Failed;
        await probe.WaitForAnswersFromAsync(v1, 200);
        var failedLater = probe.Failed;
        var off = await FlagAsync(up);

        // v2 fixes it: deployed dark (the flag is off), ramped to 20%, judged, then to everyone.
        File.Delete(Path.Combine(repository.Root, "app/BROKEN"));
        var v2 = repository.Commit("the new checkout works")[..7];
        await up.ExpectRunAsync(await up.DispatchAgainAsync(), "success");
        await probe.WaitForAnswersFromAsync(v2, 100);
        await probe.StopAsync();
        var on = await FlagAsync(up);
        var answer = await up.GetThroughEdgeAsync("web.production.localhost");
        var deployments = await up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray);
        var audit = await up.RunAsync(["audit", "export"]);

        TestContext.Current.TestOutputHelper?.WriteLine(probe.Describe());
        var turnedOffRecord = deployments.Single(d => d.Version == v1);
        var failedLook = turnedOffRecord.Decisions.Last(d => d.Outcome == Delivery.Analysis.AnalysisOutcome.Failed).At;
        var firstOn = turnedOffRecord.Steps.Single(s => s.Name == "step-1-percent").FinishedAt;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"flag on at 20% until the failing look: {(failedLook - firstOn).TotalMilliseconds:0} ms; the flag off {(turnedOffRecord.Steps[^1].FinishedAt - failedLook).TotalMilliseconds:0} ms after it");
        var turnedOff = Assert.Single(deployments, d => d.Version == v1);
        Assert.True(turnedOff.Status == "rolled-back", $"{turnedOff.Status}: {turnedOff.Reason}\n" + string.Join("\n", turnedOff.Steps.Select(s => $"{s.Name} {s.Outcome} {s.Message}")));
        Assert.Equal("flag", turnedOff.Strategy);
        Assert.StartsWith("The analysis failed: ", turnedOff.Reason, StringComparison.Ordinal);
        Assert.EndsWith("The flag new-checkout was turned off.", turnedOff.Reason, StringComparison.Ordinal);
        Assert.Contains("flag on ", turnedOff.Reason, StringComparison.Ordinal);
        Assert.Equal("flag-off", turnedOff.Steps[^1].Name);
        Assert.Contains(turnedOff.Decisions, d => d.Outcome == Delivery.Analysis.AnalysisOutcome.Failed);
        Assert.Equal("new-checkout", turnedOff.Progress!.Flag);
        Assert.Contains("\"enabled\":false", off, StringComparison.Ordinal);
        // Only v1's flag-on users failed ("" is the edge's own 404 before web was first deployed), and none once the flag
        // was off: a rollback without a deploy, v1 still serving.
        Assert.True(probe.FailedByVersion.Keys.All(v => v == v1 || v.Length == 0) && probe.FailedByVersion.GetValueOrDefault(v1) > 0, probe.Describe());
        Assert.Equal(failedAtTheEnd, failedLater);
        Assert.Equal(failedLater, probe.Failed);

        var ramped = Assert.Single(deployments, d => d.Version == v2);
        Assert.True(ramped.Status == "succeeded", $"{ramped.Status}: {ramped.Reason}\n" + string.Join("\n", ramped.Steps.Select(s => $"{s.Name} {s.Outcome} {s.Message}")));
        Assert.Equal("new-checkout on for 20% of users; the rest get off", ramped.Steps.Single(s => s.Name == "step-1-percent").Message);
        Assert.StartsWith("passed: ", ramped.Steps.Single(s => s.Name == "step-2-analysis").Message, StringComparison.Ordinal);
        Assert.Contains("\"enabled\":true", on, StringComparison.Ordinal);
        Assert.Contains("\"percentage\":100", on, StringComparison.Ordinal);
        Assert.Equal(("new checkout", v2), (answer.Body, answer.Version));

        // Every change of the flag is audited, by shipgate, saying which ramp made it and why.
        Assert.Contains("flag.rollout", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("flag.disable", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains($"The flag ramp of web {v1} in production failed: The analysis failed", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Step 3 of the flag ramp of web {v2} in production: 100%.", audit.Stdout, StringComparison.Ordinal);
    }

    private static async Task<string> FlagAsync(ShipgateUp up)
    {
        var result = await up.RunAsync(["flag", "get", "new-checkout", "--env", "production", "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
    }
}
