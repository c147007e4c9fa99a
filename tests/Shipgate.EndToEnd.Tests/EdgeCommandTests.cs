using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Hosting;
using Shipgate.Edge.Tests.Infrastructure;
using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.EndToEnd.Tests;

/// <summary>The real <c>shipgate edge</c>: started detached by EdgeLauncher, killed, restarted, stopped. Every test stops its edge.</summary>
public sealed class EdgeCommandTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _parent = Directory.CreateTempSubdirectory("edge-e2e-").FullName;

    private string State => Path.Combine(_parent, "edge");

    [Fact]
    public async Task Launcher_NoEdgeRunning_StartsOneOfItsOwnAndAttachesToItAfterwards()
    {
        var connection = await LaunchAsync();
        using var client = new EdgeClient(connection);
        var info = await client.GetInfoAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var again = await LaunchAsync();

        Assert.Equal(connection, again);
        Assert.NotEqual(Environment.ProcessId, info.Pid);
        Assert.Equal(info.Pid, GetSessionId(info.Pid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(State, "edge.json")));
    }

    [Fact]
    public async Task Edge_SigKilledAndStartedAgain_AdoptsTheRunningInstanceAndItsRouting()
    {
        using var client = new EdgeClient(await LaunchAsync());
        var before = await DeployAsync(client);
        var edgePid = (await client.GetInfoAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken)).Pid;

        Process.GetProcessById(edgePid).Kill();
        await WaitAsync(() => !IsAlive(edgePid), "the killed edge to be gone");
        using var restarted = new EdgeClient(await LaunchAsync());

        var after = await WaitForAsync(restarted, s => s.Releases[0].InstanceStatuses[0].State == EdgeInstanceState.Healthy, "the adopted instance to be healthy");
        Assert.NotEqual(edgePid, (await restarted.GetInfoAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken)).Pid);
        Assert.Equal(before.InstanceStatuses[0].Pid, after.Releases[0].InstanceStatuses[0].Pid);
        Assert.Equal(0, after.Releases[0].InstanceStatuses[0].Crashes);
        Assert.Equal(1000, after.Routing!.Weights["v1"]);
        using var http = new HttpClient();
        Assert.Equal("v1\n", await http.GetStringAsync($"http://127.0.0.1:{after.Releases[0].InstanceStatuses[0].Port}/", TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Edge_Sigterm_ExitsAndLeavesInstancesRunning_EdgeStopEndsThem()
    {
        using var client = new EdgeClient(await LaunchAsync());
        var release = await DeployAsync(client);
        var edgePid = (await client.GetInfoAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken)).Pid;
        var instancePid = release.InstanceStatuses[0].Pid!.Value;

        Process.Start("kill", ["-TERM", edgePid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await WaitAsync(() => !IsAlive(edgePid), "the edge to exit on SIGTERM");
        Assert.True(IsAlive(instancePid));
        await LaunchAsync();

        var stopped = await ShipgateCli.RunAsync(["edge", "stop", "--state", State], timeout: Timeout);

        Assert.Equal(0, stopped.ExitCode);
        Assert.False(IsAlive(instancePid));
        Assert.Null(await EdgeLauncher.TryAttachAsync(State, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Edge_PortTaken_OneSentenceExit2AndNoStateDirectory()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        var result = await ShipgateCli.RunAsync(["edge", "--listen", $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}", "--state", State, "--isolation", "none"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the port is in use", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(State));
    }

    [Theory]
    [InlineData("--isolation", "docker")]
    [InlineData("--listen", "somewhere")]
    public async Task Edge_BadFlag_OneSentenceExit2(string flag, string value)
    {
        var result = await ShipgateCli.RunAsync(["edge", flag, value, "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(value, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(State));
    }

    [Fact]
    public async Task Launcher_EdgeCannotStart_SaysWhyWithTheEndOfEdgeLog()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        var error = await Assert.ThrowsAsync<EdgeStartException>(() => EdgeLauncher.EnsureRunningAsync(
            new EdgeLaunchOptions { StateDirectory = State, Listen = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}", ShipgateCommand = [ShipgateCli.Executable], Isolate = false },
            TestContext.Current.CancellationToken)).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.StartsWith("The edge did not start (exit code 2): the end of", error.Message, StringComparison.Ordinal);
        Assert.Contains("the port is in use", error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await EdgeLauncher.StopAsync(State, Timeout, TestContext.Current.CancellationToken);
        Directory.Delete(_parent, recursive: true);
    }

    private async Task<EdgeConnection> LaunchAsync() =>
        await EdgeLauncher.EnsureRunningAsync(new EdgeLaunchOptions { StateDirectory = State, Listen = "127.0.0.1:0", ShipgateCommand = [ShipgateCli.Executable] }, TestContext.Current.CancellationToken)
            .WaitAsync(Timeout, TestContext.Current.CancellationToken);

    private async Task<EdgeReleaseStatus> DeployAsync(EdgeClient client)
    {
        using var release = new TestRelease();
        using (var tar = release.Tar())
        {
            await client.UploadArtifactAsync(release.Digest, tar, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }

        await client.PutServiceAsync("staging", "web", new EdgeServiceSpec { HealthIntervalMs = 100, DrainTimeoutMs = 1000, StopGraceMs = 1000 }, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await client.PutReleaseAsync("staging", "web", "v1", new EdgeReleaseSpec { ArtifactDigest = release.Digest, Command = "exec python3 app.py" }, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var healthy = await WaitForAsync(client, s => s.Releases[0].InstanceStatuses[0].State == EdgeInstanceState.Healthy, "the instance to be healthy");
        await client.SetRoutingAsync("staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 1000 } }, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        return healthy.Releases[0];
    }

    private async Task<EdgeServiceStatus> WaitForAsync(EdgeClient client, Func<EdgeServiceStatus, bool> condition, string what)
    {
        EdgeServiceStatus? status = null;
        await WaitAsync(() => (status = client.GetServiceAsync("staging", "web", TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken).GetAwaiter().GetResult()) is { } s && condition(s), what);
        return status!;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
        }
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && TryRead($"/proc/{pid}/stat") is { } stat && !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');

    private static int GetSessionId(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat")!;
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
