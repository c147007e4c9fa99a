using System.Globalization;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// Issue 9's shadow test, with real parts only: the real <c>shipgate up</c>, its edge, a Python service deployed by
/// <c>shipgate/deploy</c> with <c>strategy: shadow</c>, and clients sending requests through the edge. v2 answers as v1
/// does (its bodies differ only in a timestamp the comparison ignores) and takes all traffic after its shadow phase; v3
/// answers one route with another body and is held back, the mismatch shown on the deployment and by
/// <c>shipgate rollout status</c>, masked. Users only ever get the serving release's answers.
/// </summary>
public sealed class ShadowDeploymentTests
{
    // GET /api/greeting answers {"greeting": GREETING, "at": now}; "/" says the version, so its body differs in every
    // release (and is not compared); /health stays healthy.
    private static readonly string Service = PythonService.Script("""
        import json, os, time

        VERSION = os.environ.get("SHIPGATE_VERSION", "?")
        GREETING = open("GREETING").read().strip()

        def answer(path):
            if path == "/health":
                return 200, b"ok", {"Content-Type": "text/plain"}
            if path.startswith("/api/greeting"):
                return 200, json.dumps({"greeting": GREETING, "at": time.time()}).encode(), {"Content-Type": "application/json"}
            return 200, ("hello from " + VERSION).encode(), {"Content-Type": "text/plain"}
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
              shadow:
                percent: 100
                duration: 3s
                max-mismatch: 1%
                min-requests: 50
                on-inconclusive: fail
                compare:
                  - status
                  - body: { paths: [/api/**], ignore: [at] }
        """;

    [Fact]
    public async Task Shadow_SameAnswersPromoted_DifferentBodyOnOneRouteHeldBackWithTheMismatchShown()
    {
        using var repository = new TestRepository();
        repository.Write("app/app.py", Service);
        repository.Write("app/GREETING", "hello\n");
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        var v1 = repository.Commit("the service")[..7];
        await using var up = await ShipgateUp.StartAsync();
        await up.ExpectRunAsync(await up.DispatchAsync(repository, "deploy.yml"), "success");
        var edge = await up.EdgeAsync();
        await using var home = TrafficProbe.Start(edge, "web.production.localhost", "/", requestsPerSecond: 100, connections: 4);
        await using var api = TrafficProbe.Start(edge, "web.production.localhost", "/api/greeting?token=s3cr3t-token", requestsPerSecond: 100, connections: 4);
        await api.WaitForAnswersFromAsync(v1);

        // v2 answers the same (only "at" differs, and it is ignored): compared, and promoted.
        repository.Write("app/NOTES", "a change that changes no answer\n");
        var v2 = repository.Commit("a release that answers as v1 does")[..7];
        await up.ExpectRunAsync(await up.DispatchAgainAsync(), "success");
        await api.WaitForAnswersFromAsync(v2);

        // v3 greets otherwise on /api/greeting: held back, v2 serving throughout.
        repository.Write("app/GREETING", "hi\n");
        var v3 = repository.Commit("a release that greets otherwise")[..7];
        await up.ExpectRunAsync(await up.DispatchAgainAsync(), "failure");
        await api.WaitForAnswersFromAsync(v2, 50);
        await Task.WhenAll(home.StopAsync(), api.StopAsync());
        var deployments = await up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray);
        var held = Assert.Single(deployments, d => d.Version == v3);
        var status = await up.RunAsync(["rollout", "status", held.Id.ToString(CultureInfo.InvariantCulture)]);

        var promoted = Assert.Single(deployments, d => d.Version == v2);
        Assert.True(promoted.Status == "succeeded", $"{promoted.Status}: {promoted.Reason}");
        Assert.Equal("shadow", promoted.Strategy);
        Assert.Matches(@"; 0 of \d+ compared answers differed \(0%; max-mismatch 1%\)$", promoted.Steps.Single(s => s.Name == "step-1-mirror").Message);
        Assert.True(held.Status == "failed", $"{held.Status}: {held.Reason}\n" + string.Join("\n", held.Steps.Select(s => $"{s.Name} {s.Outcome} {s.Message}")));
        Assert.StartsWith("Held back: ", held.Reason, StringComparison.Ordinal);
        Assert.Contains("body", held.Reason, StringComparison.Ordinal);
        var shadow = held.Progress!.Shadow!;
        Assert.Equal(0, shadow.StatusMismatches);
        Assert.True(shadow.BodyMismatches >= 1 && shadow.MismatchRate > 0.01, shadow.Summary());
        var example = Assert.Single(shadow.Examples.Take(1));
        Assert.Equal(("GET", "/api/greeting?token=***", "$.greeting"), (example.Method, example.Path, example.BodyDifference));
        Assert.Contains("\"hello\"", example.PrimaryBody, StringComparison.Ordinal);
        Assert.Contains("\"hi\"", example.MirrorBody, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Shadow: ", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("GET /api/greeting?token=***: body differs at $.greeting", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", status.Stdout, StringComparison.Ordinal);

        // Users got only the serving releases' answers: none of v3's, and no failure.
        Assert.True(!home.Versions.ContainsKey(v3) && !api.Versions.ContainsKey(v3), home.Describe() + "\n" + api.Describe());
        Assert.True(home.Failed == 0 && api.Failed == 0, home.Describe() + "\n" + api.Describe());
    }
}
