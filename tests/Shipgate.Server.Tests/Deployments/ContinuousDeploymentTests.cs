using System.Net;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// Continuous deployment end to end, with no person: the real <c>shipgate up</c> and its edge watch a repository; a
/// commit is tested, built, deployed to staging, smoke tested, deployed to production; a bad commit fails its smoke
/// test under traffic in staging, is rolled back by itself, and never reaches production.
/// </summary>
public sealed class ContinuousDeploymentTests
{
    // FAIL_AFTER in the release makes "/" answer 500 after that many answers: it passes the smoke test before the switch
    // and fails the one after, as a release that breaks under traffic does.
    private static readonly string Service = PythonService.Script("""
        import os

        VERSION = os.environ.get("SHIPGATE_VERSION", "?")
        FAIL_AFTER = int(open("FAIL_AFTER").read()) if os.path.exists("FAIL_AFTER") else None
        served = 0

        def answer(path):
            global served
            if path != "/":
                return 200, b"ok", {}
            served += 1
            return (500, b"broken", {}) if FAIL_AFTER is not None and served > FAIL_AFTER else (200, ("hello from " + VERSION).encode(), {})
        """);

    private const string Config = """
        services:
          web:
            run: python3 app.py
            health-interval: 200ms
        environments:
          staging:
            mode: deployment
            strategy: rolling
            watch: 0s
            smoke:
              - path: /
                body-contains: hello from
          production:
            mode: deployment
            strategy: blue-green
            watch: 0s
            smoke:
              - path: /
                body-contains: hello from
        """;

    private const string Workflow = """
        on:
          push:
            branches: [main]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: python3 -m py_compile app/app.py
          build:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with: { name: app, path: app }
          deploy-staging:
            needs: build
            runs-on: ubuntu-latest
            environment: staging
            steps:
              - uses: shipgate/deploy@v1
                with: { service: web, artifact: app }
          deploy-production:
            needs: deploy-staging
            runs-on: ubuntu-latest
            environment: production
            steps:
              - uses: shipgate/deploy@v1
                with: { service: web, artifact: app }
        """;

    [Fact]
    public async Task Push_GoodCommitReachesProductionByItself_BadCommitIsRolledBackInStagingAndNeverReachesProduction()
    {
        using var repository = new TestRepository();
        repository.Write("app/app.py", Service);
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/cd.yml", Workflow);
        repository.Commit("the service");
        await using var up = await ShipgateUp.StartAsync();
        var added = await up.RunAsync(["project", "add", "web", "--repo", repository.Root]);
        Assert.True(added.ExitCode == 0, added.ToString());

        repository.Write("app/NOTES", "first release\n");
        var good = repository.Commit("a good commit")[..7];
        var first = await PushedRunAsync(up, 1);
        var staging = await up.GetThroughEdgeAsync("web.staging.localhost");
        var production = await up.GetThroughEdgeAsync("web.production.localhost");

        repository.Write("app/FAIL_AFTER", "1\n");
        repository.Commit("a bad commit: its home page breaks under traffic");
        var second = await PushedRunAsync(up, 2);
        var stagingAfter = await up.GetThroughEdgeAsync("web.staging.localhost");
        var productionAfter = await up.GetThroughEdgeAsync("web.production.localhost");
        var deployments = await up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray);

        Assert.Equal("success", first.Run.Conclusion);
        Assert.Equal((HttpStatusCode.OK, good), (staging.Status, staging.Version));
        Assert.Equal((HttpStatusCode.OK, good), (production.Status, production.Version));
        Assert.Equal("failure", second.Run.Conclusion);
        Assert.Equal("failure", second.Jobs.Single(j => j.Key == "deploy-staging").Conclusion);
        Assert.Equal("skipped", second.Jobs.Single(j => j.Key == "deploy-production").Conclusion);
        Assert.Equal((HttpStatusCode.OK, good), (stagingAfter.Status, stagingAfter.Version));
        Assert.Equal((HttpStatusCode.OK, good), (productionAfter.Status, productionAfter.Version));
        var rolledBack = Assert.Single(deployments, d => d.Run == second.Run.Id);
        Assert.True(rolledBack.Status == "rolled-back", string.Join("\n", rolledBack.Steps.Select(s => $"{s.Name} {s.Outcome} {s.Message}")) + "\n" + rolledBack.Reason);
        Assert.Equal(("staging", good), (rolledBack.Environment, rolledBack.PreviousVersion));
        Assert.Contains("smoke", rolledBack.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(deployments, d => d.Environment == "production" && d.Run == second.Run.Id);
    }

    /// <summary>The run the watcher started for a commit (the <paramref name="number"/>th), once it completed.</summary>
    private static async Task<RunDetailResponse> PushedRunAsync(ShipgateUp up, long number)
    {
        await EventuallyAsync(
            async () => (await up.JsonAsync(["runs", "list"], ApiJsonContext.Default.RunResponseArray)).FirstOrDefault(r => r.Id == number),
            $"the watcher to start run {number}");
        return await up.CompletedRunAsync(number);
    }
}
