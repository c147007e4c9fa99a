using System.Globalization;
using Shipgate.Delivery.Edge;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// The reliability bar, with real parts only: the real <c>shipgate up</c>, the local edge it starts, a
/// Python service deployed by <c>shipgate/deploy</c> from a workflow, and a client sending 300 requests per second
/// through the edge that checks every answer. No request may fail during a rolling deploy, a blue-green switch, a
/// rollback, a crash of one of two instances, a release that exits at once, or a SIGKILL of the server.
/// </summary>
public sealed class ZeroDowntimeTests
{
    private static readonly string Service = PythonService.Script("""
        import os

        VERSION = os.environ.get("SHIPGATE_VERSION", "?")

        def answer(path):
            return 200, (b"ok" if path == "/health" else ("hello from " + VERSION).encode()), {"Content-Type": "text/plain"}
        """);

    [Fact]
    public async Task Rolling_DeployRollbackCrashAndServerKill_NoRequestFails()
    {
        using var repository = Repository("rolling");
        await using var up = await ShipgateUp.StartAsync();
        var first = await DeployAsync(up, repository, addProject: true);
        await using var probe = TrafficProbe.Start(await up.EdgeAsync(), "web.production.localhost");
        await probe.WaitForAnswersFromAsync(first);

        // A rolling deploy of the next commit.
        repository.Write("app/NOTE", "second\n");
        var second = await DeployAsync(up, repository);
        await probe.WaitForAnswersFromAsync(second);

        // A release that exits at once: the deploy fails, the running release serves on.
        repository.Write("shipgate.yml", Config("rolling").Replace("python3 app.py", "sh -c 'echo no such thing >&2; exit 3'", StringComparison.Ordinal));
        await DeployAsync(up, repository, expected: "failure");
        await probe.WaitForAnswersFromAsync(second);

        // Back to the first release by command.
        var rollback = await up.RunAsync(["rollback", "web", "--env", "production", "--project", "web", "--to", first, "--reason", "test"]);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        await probe.WaitForAnswersFromAsync(first);

        // One of the two instances crashes (its whole process group is SIGKILLed).
        using (var edge = new EdgeClient(new EdgeConnection("unix:" + Path.Combine(up.DataDirectory, "edge", "admin.sock"))))
        {
            var instance = (await edge.GetServiceAsync("production", "web", Ct))!.Releases.Single(r => r.Version == first).InstanceStatuses.First(i => i.Pid is not null);
            Process("kill", "-KILL", "--", "-" + instance.Pid!.Value.ToString(CultureInfo.InvariantCulture));
        }

        await probe.WaitForAnswersFromAsync(first, 200);

        // The server dies; the edge serves on.
        await up.KillAsync();
        await probe.WaitForAnswersFromAsync(first, 200);
        await probe.StopAsync();

        TestContext.Current.TestOutputHelper?.WriteLine(probe.Describe());
        Assert.True(probe.Failed == 0, probe.Describe());
    }

    [Fact]
    public async Task BlueGreen_SwitchAndInstantRollback_NoRequestFails()
    {
        using var repository = Repository("blue-green");
        await using var up = await ShipgateUp.StartAsync();
        var blue = await DeployAsync(up, repository, addProject: true);
        await using var probe = TrafficProbe.Start(await up.EdgeAsync(), "web.production.localhost");
        await probe.WaitForAnswersFromAsync(blue);

        repository.Write("app/NOTE", "green\n");
        var green = await DeployAsync(up, repository);
        await probe.WaitForAnswersFromAsync(green);

        var rollback = await up.RunAsync(["rollback", "web", "--env", "production", "--project", "web", "--reason", "test"]);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        await probe.WaitForAnswersFromAsync(blue);
        await probe.StopAsync();

        TestContext.Current.TestOutputHelper?.WriteLine(probe.Describe());
        Assert.True(probe.Failed == 0, probe.Describe());
        var deployments = await up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray);
        Assert.Contains(deployments, d => d.Status == "succeeded" && d.Strategy == "blue-green");
    }

    private static string Config(string strategy) => $"""
        services:
          web:
            run: python3 app.py
            instances: 2
            health-interval: 200ms
            drain-timeout: 5s
        environments:
          production:
            mode: deployment
            strategy: {strategy}
            watch: 0s
            smoke:
              - path: /health
        """;

    private static TestRepository Repository(string strategy)
    {
        var repository = new TestRepository();
        repository.Write("app/app.py", Service);
        repository.Write("shipgate.yml", Config(strategy));
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        repository.Commit("the service");
        return repository;
    }

    /// <summary>Commits what the test wrote, dispatches the deploy workflow and waits for its end; returns the deployed version (the short commit).</summary>
    private static async Task<string> DeployAsync(ShipgateUp up, TestRepository repository, bool addProject = false, string expected = "success")
    {
        var sha = addProject ? repository.Git("rev-parse", "HEAD") : repository.Commit("next");
        string run;
        if (addProject)
        {
            run = await up.DispatchAsync(repository, "deploy.yml");
        }
        else
        {
            var dispatched = await up.RunAsync(["dispatch", "web", "deploy.yml"]);
            Assert.True(dispatched.ExitCode == 0, dispatched.ToString());
            run = dispatched.LastLine;
        }

        var done = await up.CompletedRunAsync(long.Parse(run, CultureInfo.InvariantCulture));
        if (done.Run.Conclusion != expected)
        {
            var logs = await up.RunAsync(["logs", run]);
            Assert.Fail($"Run {run} ended {done.Run.Conclusion}, not {expected}:\n{logs.Stdout}\n{up.Output}");
        }

        return sha.Trim()[..7];
    }

    private static void Process(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(program, arguments);
        process.WaitForExit();
    }
}
