using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// A canary whose server dies mid-rollout (SIGKILL): the edge serves on with the split it had, and nothing judges the
/// canary any more. The next server resumes the run (its lease expired), finds the rollout its lost deploy step left,
/// and rolls it back: all traffic to stable, the canary stopped, the deployment rolled-back saying why.
/// </summary>
public sealed class CutOffRolloutTests : IDisposable
{
    private const string Config = """
        services:
          web:
            run: python3 app.py
            instances: 2
            health-interval: 200ms
            drain-timeout: 2s
        environments:
          production:
            mode: deployment
            watch: 0s
            strategy:
              canary:
                steps:
                  - weight: 50
                  - pause: {}
                  - weight: 100
        """;

    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-cut-off-").FullName;
    private readonly int _port = Ports.Free();

    [Fact]
    public async Task Canary_ServerKilledMidRollout_NextServerRollsItBackToStable()
    {
        using var repository = new TestRepository();
        repository.Write("app/app.py", CanaryDeploymentTests.Service);
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        var v1 = repository.Commit("the service")[..7];
        await using var first = await StartUpAsync();
        await first.ExpectRunAsync(await first.DispatchAsync(repository, "deploy.yml"), "success");
        await using var probe = TrafficProbe.Start(await first.EdgeAsync(), "web.production.localhost", requestsPerSecond: 100, connections: 4);

        repository.Write("app/NOTE", "v2\n");
        var v2 = repository.Commit("a release cut off by a crash")[..7];
        var run = await first.DispatchAgainAsync();
        await EventuallyAsync(
            async () => (await first.JsonAsync(["rollout", "status"], ApiJsonContext.Default.DeploymentResponseArray)).FirstOrDefault(d => d.Progress?.WaitingFor == "promote (pause)"),
            "v2's canary to wait at its pause");
        await probe.WaitForAnswersFromAsync(v2);
        await first.KillAsync();
        await probe.WaitForAnswersFromAsync(v2, 50);

        await using var second = await StartUpAsync();
        await second.ExpectRunAsync(run, "failure");
        var deployment = Assert.Single(await second.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray), d => d.Version == v2);
        var sent = probe.Versions.GetValueOrDefault(v2);
        await probe.WaitForAnswersFromAsync(v1, 200);
        var afterRollback = probe.Versions.GetValueOrDefault(v2);
        await probe.StopAsync();
        var audit = await second.RunAsync(["audit", "export"]);

        Assert.True(deployment.Status == "rolled-back", $"{deployment.Status}: {deployment.Reason}");
        Assert.Equal($"The server running this rollout stopped before it ended (runner lost); 100% back to {v1}; {v2} stopped.", deployment.Reason);
        Assert.Equal(sent, afterRollback);
        Assert.True(probe.Failed == 0, probe.Describe());
        Assert.Contains("deployment.rolled-back", audit.Stdout, StringComparison.Ordinal);
        var edge = await second.GetThroughEdgeAsync("web.production.localhost");
        Assert.Equal(v1, edge.Version);
    }

    [Fact]
    public async Task FlagRamp_ServerKilledMidRamp_NextServerTurnsTheFlagOff()
    {
        using var repository = new TestRepository();
        repository.Write("app/app.py", FlagRampDeploymentTests.Service);
        repository.Write("shipgate.yml", """
            services:
              web:
                run: python3 app.py
                health-interval: 200ms
                drain-timeout: 2s
            flags:
              new-checkout: { type: boolean, variants: { on: true, off: false }, default-variant: off, enabled: false }
            environments:
              production:
                mode: deployment
                watch: 0s
                strategy:
                  flag:
                    key: new-checkout
                    steps:
                      - percent: 50
                      - pause: {}
                      - percent: 100
            """);
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        var v1 = repository.Commit("the service with its new checkout dark")[..7];
        await using var first = await StartUpAsync();
        var run = await first.DispatchAsync(repository, "deploy.yml");
        var waiting = await EventuallyAsync(
            async () => (await first.JsonAsync(["rollout", "status"], ApiJsonContext.Default.DeploymentResponseArray)).FirstOrDefault(d => d.Progress?.WaitingFor == "promote (pause)"),
            "the ramp to wait at its pause");
        // The verbs take a flag ramp as they take a canary: a resume of a ramp nobody paused is refused for that reason.
        var resume = await first.RunAsync(["resume", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await first.KillAsync();

        await using var second = await StartUpAsync();
        await second.ExpectRunAsync(run, "failure");
        var deployment = Assert.Single(await second.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray));
        var flag = await second.RunAsync(["flag", "get", "new-checkout", "--env", "production", "--json"]);
        var audit = await second.RunAsync(["audit", "export"]);
        var edge = await second.GetThroughEdgeAsync("web.production.localhost");

        Assert.True(resume.ExitCode == 4 && resume.Stderr.Contains("is not paused", StringComparison.Ordinal), resume.ToString());
        Assert.Equal(("flag", 500), (waiting.Strategy, waiting.Progress!.CanaryPermille));
        Assert.True(deployment.Status == "rolled-back", $"{deployment.Status}: {deployment.Reason}");
        Assert.Equal($"The server running this rollout stopped before it ended (runner lost); the flag new-checkout was turned off; {v1} keeps serving.", deployment.Reason);
        Assert.Contains("\"enabled\":false", flag.Stdout, StringComparison.Ordinal);
        Assert.Contains("at step 2 of the flag ramp of web", audit.Stdout, StringComparison.Ordinal);
        Assert.Equal(v1, edge.Version);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover process may still hold a file; the OS cleans the temp directory later.
        }
    }

    private Task<ShipgateUp> StartUpAsync() =>
        ShipgateUp.StartOnAsync(_data, _port, new Dictionary<string, string> { ["Shipgate__RunLease"] = "00:00:03" });
}
