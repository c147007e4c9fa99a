using Shipgate.Edge.Tests.Infrastructure;
using Shipgate.Engine.Sandbox;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Supervisor;

/// <summary>Instances run in the step sandbox: each test performs the attack an instance could try.</summary>
public sealed class InstanceIsolationTests
{
    [Fact]
    public async Task Instance_ReadingTheAdminTokenOrStateFile_Fails()
    {
        Assert.Null(StepSandbox.FindProblem());
        await using var edge = await RunningEdge.StartAsync(isolate: true, admin: "127.0.0.1:0");
        using var release = new TestRelease();
        var token = edge.Host.Connection.TokenFile!;
        var state = Path.Combine(edge.StateDirectory, "state.json");

        await edge.DeployAsync(
            release, "v1",
            command: $"cat {token} && echo TOKEN-READ; cat {state} && echo STATE-READ; ls {edge.StateDirectory}/logs && echo LOGS-LISTED; "
                + "echo probe > app.py && echo RELEASE-WRITTEN; echo done; exec python3 app.py");

        var log = await edge.Client.ReadLogsAsync("staging", "web", "v1", 100, follow: false, TestTimeouts.Ct).ToListAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();
        Assert.Contains("v1-1: done", log);
        Assert.DoesNotContain(log, l => l.EndsWith("-READ", StringComparison.Ordinal) || l.EndsWith("LOGS-LISTED", StringComparison.Ordinal) || l.EndsWith("WRITTEN", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains(File.ReadAllText(token).Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instance_OfARootEdge_RunsAsTheRunnerUser()
    {
        Assert.True(Environment.IsPrivilegedProcess, "This test needs root (as test.sh runs it): a root edge runs instances as shipgate-runner.");
        await using var edge = await RunningEdge.StartAsync(isolate: true);
        using var release = new TestRelease();

        await edge.DeployAsync(release, "v1", command: "echo user=$(id -un) home=$HOME; touch $HOME/mine && echo HOME-WRITABLE; exec python3 app.py");

        var log = await edge.Client.ReadLogsAsync("staging", "web", "v1", 100, follow: false, TestTimeouts.Ct).ToListAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();
        Assert.Contains(log, l => l.StartsWith($"v1-1: user={StepSandbox.DefaultRunnerUser} ", StringComparison.Ordinal));
        Assert.Contains("v1-1: HOME-WRITABLE", log);
    }

    [Fact]
    public async Task Instance_ReadingAHiddenDataFolder_Fails()
    {
        var data = Directory.CreateTempSubdirectory("edge-server-data-").FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "secret.key"), "server-secret", TestTimeouts.Ct);
        try
        {
            await using var edge = await RunningEdgeHiding(data);
            using var release = new TestRelease();

            await edge.DeployAsync(release, "v1", command: $"cat {data}/secret.key; echo done; exec python3 app.py");

            var log = await edge.Client.ReadLogsAsync("staging", "web", "v1", 100, follow: false, TestTimeouts.Ct).ToListAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();
            Assert.Contains("v1-1: done", log);
            Assert.DoesNotContain(log, l => l.Contains("server-secret", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<RunningEdge> RunningEdgeHiding(string data) =>
        await RunningEdge.StartAsync(isolate: true, hidden: [data]);
}
