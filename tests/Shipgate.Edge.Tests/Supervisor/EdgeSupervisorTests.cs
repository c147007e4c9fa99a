using Shipgate.Delivery.Edge;
using Shipgate.Edge.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Supervisor;

public sealed class EdgeSupervisorTests
{
    [Fact]
    public async Task Release_HealthyInstances_AreRoutedWithTheirWeight()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        var status = await edge.DeployAsync(release, "v1", instances: 2);

        await edge.Client.SetRoutingAsync("staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 1000 } }, TestTimeouts.Ct).DefaultTimeout();

        var route = Assert.Single(edge.Router.Current.Services);
        Assert.Contains("web.staging.localhost", route.Hosts);
        var routed = Assert.Single(route.Releases);
        Assert.Equal(1000, routed.Weight);
        Assert.Equal(status.InstanceStatuses.Select(i => i.Port!.Value).Order(), routed.Endpoints.Select(e => e.Port).Order());
        using var http = new HttpClient();
        Assert.Equal("v1\n", await http.GetStringAsync($"http://127.0.0.1:{routed.Endpoints[0].Port}/", TestTimeouts.Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Release_FlagsVariables_ReachTheInstance()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();

        await edge.DeployAsync(release, "v1", command: "printenv SHIPGATE_FLAGS_URL SHIPGATE_FLAGS_KEY; exec python3 app.py",
            variables: new Dictionary<string, string> { ["SHIPGATE_FLAGS_URL"] = "http://127.0.0.1:8080", ["SHIPGATE_FLAGS_KEY"] = "sgk_staging" });

        var log = await edge.Client.ReadLogsAsync("staging", "web", "v1", 10, follow: false, TestTimeouts.Ct).ToListAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();
        Assert.Equal(["v1-1: http://127.0.0.1:8080", "v1-1: sgk_staging"], log.Take(2));
    }

    [Fact]
    public async Task Instance_FailsHealth_LeavesRoutingUntilItPassesAgain()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1");
        var home = Path.Combine(edge.StateDirectory, "instances", "staging", "web", "v1-1", "home");

        await File.WriteAllTextAsync(Path.Combine(home, "sick"), "", TestTimeouts.Ct);
        var sick = await edge.WaitForReleaseAsync("staging", "web", "v1", r => r.InstanceStatuses[0].State == EdgeInstanceState.Unhealthy, "unhealthy");

        Assert.Contains("503", sick.InstanceStatuses[0].LastError);
        Assert.Empty(edge.Router.Current.Services[0].Releases[0].Endpoints);
        File.Delete(Path.Combine(home, "sick"));
        await edge.WaitForReleaseAsync("staging", "web", "v1", r => r.InstanceStatuses[0].State == EdgeInstanceState.Healthy, "healthy again");
        Assert.Single(edge.Router.Current.Services[0].Releases[0].Endpoints);
    }

    [Fact]
    public async Task Instance_OneOfTwoKilled_OtherKeepsServingAndItIsRestartedAndCounted()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        var before = await edge.DeployAsync(release, "v1", instances: 2);
        await edge.Client.SetRoutingAsync("staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 1000 } }, TestTimeouts.Ct).DefaultTimeout();
        var victim = before.InstanceStatuses[0];

        System.Diagnostics.Process.GetProcessById(victim.Pid!.Value).Kill();

        var after = await edge.WaitForReleaseAsync(
            "staging", "web", "v1",
            r => r.InstanceStatuses[0] is { State: EdgeInstanceState.Healthy, Crashes: 1 } i && i.Pid != victim.Pid,
            "the killed instance restarted and healthy");
        Assert.Equal(before.InstanceStatuses[1].Pid, after.InstanceStatuses[1].Pid);
        Assert.Equal(0, after.InstanceStatuses[1].Crashes);
        Assert.Equal(2, edge.Router.Current.Services[0].Releases[0].Endpoints.Count);
    }

    [Fact]
    public async Task Release_CommandExitsAtOnce_ShowsTheReasonAndItsLastOutput()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1");

        await edge.Client.PutReleaseAsync(
            "staging", "web", "v2", new EdgeReleaseSpec { ArtifactDigest = release.Digest, Command = "echo 'cannot bind: address in use' >&2; exit 3" }, TestTimeouts.Ct)
            .DefaultTimeout();

        var failed = await edge.WaitForReleaseAsync("staging", "web", "v2", r => r.InstanceStatuses[0].Crashes >= 2, "crashed twice");
        Assert.Contains("exited with code 3 right after it started", failed.InstanceStatuses[0].LastError);
        Assert.Contains("cannot bind: address in use", failed.InstanceStatuses[0].LastError);
        var log = await edge.Client.ReadLogsAsync("staging", "web", "v2", 10, follow: false, TestTimeouts.Ct).ToListAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();
        Assert.Contains("v2-1: cannot bind: address in use", log);
        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.SetRoutingAsync(
            "staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 1000 } }, TestTimeouts.Ct)).DefaultTimeout();
        Assert.Equal(409, refused.StatusCode);
        Assert.Null((await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Routing);
    }

    [Fact]
    public async Task Release_CrashingFastEnough_IsCrashLooping()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.Client.UploadArtifactAsync(release.Digest, release.Tar(), TestTimeouts.Ct).DefaultTimeout();
        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec(), TestTimeouts.Ct).DefaultTimeout();

        await edge.Client.PutReleaseAsync("staging", "web", "v1", new EdgeReleaseSpec { ArtifactDigest = release.Digest, Command = "exit 1" }, TestTimeouts.Ct).DefaultTimeout();

        var looping = await edge.WaitForReleaseAsync("staging", "web", "v1", r => r.CrashLooping, "crash-looping");
        Assert.True(looping.InstanceStatuses[0].Crashes > 3);
    }

    [Fact]
    public async Task DeleteRelease_Drained_StopsEveryProcessItForkedOrSetsidd()
    {
        await using var edge = await RunningEdge.StartAsync(isolate: true);
        using var release = new TestRelease();
        // The marker is put together by the shell, so only the forked processes' command lines hold it whole.
        var (head, tail) = ("edge-orphan-", Guid.NewGuid().ToString("N"));
        var marker = head + tail;
        const string sleeper = "python3 -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(1000)'";
        await edge.DeployAsync(release, "v1", command: $"m={head}; setsid {sleeper} ${{m}}{tail} & {sleeper} ${{m}}{tail} & exec python3 app.py");
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(Processes(marker).Count == 2 ? "" : null), "the forked sleeps");

        await edge.Client.DeleteReleaseAsync("staging", "web", "v1", TestTimeouts.Ct).DefaultTimeout();

        Assert.Empty(Processes(marker));
        Assert.Empty((await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Releases);
    }

    [Fact]
    public async Task Restart_InstancesStillRunning_AreAdoptedNotRestarted()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        var before = await edge.DeployAsync(release, "v1", instances: 2);
        await edge.Client.SetRoutingAsync("staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 1000 } }, TestTimeouts.Ct).DefaultTimeout();

        await edge.RestartAsync();

        var after = await edge.WaitForReleaseAsync("staging", "web", "v1", r => r.InstanceStatuses.All(i => i.State == EdgeInstanceState.Healthy), "healthy");
        Assert.Equal(before.InstanceStatuses.Select(i => i.Pid), after.InstanceStatuses.Select(i => i.Pid));
        Assert.All(after.InstanceStatuses, i => Assert.Equal(0, i.Crashes));
        Assert.Equal(1000, Assert.Single(edge.Router.Current.Services[0].Releases).Weight);
        Assert.Equal(2, edge.Router.Current.Services[0].Releases[0].Endpoints.Count);
    }

    [Fact]
    public async Task Restart_InstanceGoneMeanwhile_IsStartedAgain()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        var before = await edge.DeployAsync(release, "v1");
        await edge.Host.DisposeAsync();
        var process = System.Diagnostics.Process.GetProcessById(before.InstanceStatuses[0].Pid!.Value);
        process.Kill();
        await process.WaitForExitAsync(TestTimeouts.Ct).DefaultTimeout();

        await edge.RestartAsync();

        var after = await edge.WaitForReleaseAsync("staging", "web", "v1", r => r.InstanceStatuses[0].State == EdgeInstanceState.Healthy, "healthy");
        Assert.NotEqual(before.InstanceStatuses[0].Pid, after.InstanceStatuses[0].Pid);
    }

    [Fact]
    public async Task Restart_DeletionInterruptedByACrash_IsFinished()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        var before = await edge.DeployAsync(release, "v1");
        await edge.Host.DisposeAsync();
        var file = Path.Combine(edge.StateDirectory, "state.json");
        var state = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file, TestTimeouts.Ct))!;
        state["services"]![0]!["releases"]![0]!["removing"] = true;
        await File.WriteAllTextAsync(file, state.ToJsonString(), TestTimeouts.Ct);
        var pid = before.InstanceStatuses[0].Pid!.Value;
        Assert.True(File.Exists($"/proc/{pid}/stat"));

        await edge.RestartAsync();

        await TestTimeouts.EventuallyAsync(
            async () => !(await File.ReadAllTextAsync(file, TestTimeouts.Ct)).Contains("\"v1\"", StringComparison.Ordinal) ? "" : null,
            "the release to be dropped from the state file");
        Assert.False(File.Exists($"/proc/{pid}/stat"));
        Assert.Empty((await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Releases);
    }

    [Fact]
    public async Task Release_DeclaredAgainWithAnotherCommand_IsAConflictAndNothingChanges()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        var before = await edge.DeployAsync(release, "v1");

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.PutReleaseAsync(
            "staging", "web", "v1", new EdgeReleaseSpec { ArtifactDigest = release.Digest, Command = "python3 other.py" }, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal(409, refused.StatusCode);
        var after = (await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Releases.Single();
        Assert.Equal(before.Command, after.Command);
        Assert.Equal(before.InstanceStatuses.Select(i => i.Pid), after.InstanceStatuses.Select(i => i.Pid));
    }

    [Fact]
    public async Task DeleteRelease_WithWeight_IsAConflict()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1");
        await edge.Client.SetRoutingAsync("staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 1000 } }, TestTimeouts.Ct).DefaultTimeout();

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.DeleteReleaseAsync("staging", "web", "v1", TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal(409, refused.StatusCode);
        Assert.Single(edge.Router.Current.Services[0].Releases[0].Endpoints);
    }

    [Theory]
    [InlineData(600, 300, 400)]
    [InlineData(1000, 1, 400)]
    public async Task Routing_WeightsNotAddingUp_AreRefusedAndNothingChanges(int first, int second, int status)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1");
        await edge.DeployAsync(release, "v2");

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.SetRoutingAsync(
            "staging", "web", new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = first, ["v2"] = second } }, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal(status, refused.StatusCode);
        Assert.Contains("not 1000", refused.Message);
        Assert.Null(edge.Router.Current.Services[0].Routing);
    }

    [Theory]
    [InlineData(0.5, 20, "/api/**", "at", 1024, "latencyRatio is 0.5")]
    [InlineData(2.0, -1, "/api/**", "at", 1024, "latencySlackMillis is -1")]
    [InlineData(null, 20, "api/**", "at", 1024, "must be a path starting with '/'")]
    [InlineData(null, 20, "/api/*.json", "at", 1024, "only as whole segments")]
    [InlineData(null, 20, "/api/**/x", "at", 1024, "only as the last segment")]
    [InlineData(null, 20, "/api/**", "", 1024, "neither a property name nor a path")]
    [InlineData(null, 20, "/api/**", "$.", 1024, "neither a property name nor a path")]
    [InlineData(null, 20, "/api/**", "at", 0, "maxBodyBytes is 0")]
    [InlineData(null, 20, "/api/**", "at", (16 << 20) + 1, "maxBodyBytes is 16777217")]
    public async Task Routing_BadMirrorCompare_IsRefusedWithOneSentenceAndNothingChanges(
        double? ratio, int slack, string bodyPath, string ignored, int maxBodyBytes, string expected)
    {
        await using var edge = await RunningEdge.StartAsync();
        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec(), TestTimeouts.Ct).DefaultTimeout();
        var compare = new EdgeMirrorCompare
        {
            LatencyRatio = ratio, LatencySlackMillis = slack, BodyPaths = [bodyPath], IgnoreFields = [ignored], MaxBodyBytes = maxBodyBytes,
        };
        var routing = new EdgeRoutingSpec
        {
            Weights = new Dictionary<string, int> { ["v1"] = 1000 },
            Mirror = new EdgeMirrorSpec { Version = "v2", Permille = 100, Compare = compare },
        };

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.SetRoutingAsync("staging", "web", routing, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal(400, refused.StatusCode);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Single(refused.Message.Split(". ", StringSplitOptions.RemoveEmptyEntries));
        Assert.Null((await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Routing);
    }

    [Fact]
    public async Task Routing_UnknownReleaseOrService_IsNotFound()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1");
        var weights = new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v9"] = 1000 } };

        var release404 = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.SetRoutingAsync("staging", "web", weights, TestTimeouts.Ct)).DefaultTimeout();
        var service404 = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.SetRoutingAsync("staging", "api", weights, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal((404, 404), (release404.StatusCode, service404.StatusCode));
        Assert.Contains("v9", release404.Message);
    }

    [Fact]
    public async Task Service_HostClaimedByAnotherService_IsAConflict()
    {
        await using var edge = await RunningEdge.StartAsync();
        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec { Hosts = ["shop.example.com"] }, TestTimeouts.Ct).DefaultTimeout();

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.PutServiceAsync(
            "production", "web", new EdgeServiceSpec { Hosts = ["shop.example.com"] }, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal(409, refused.StatusCode);
        Assert.Null(await edge.Client.GetServiceAsync("production", "web", TestTimeouts.Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Release_MissingArtifact_IsRefusedWithOneSentence()
    {
        await using var edge = await RunningEdge.StartAsync();
        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec(), TestTimeouts.Ct).DefaultTimeout();

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.PutReleaseAsync(
            "staging", "web", "v1", new EdgeReleaseSpec { ArtifactDigest = "sha256:" + new string('a', 64), Command = "true" }, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("upload it first", refused.Message);
        Assert.Empty((await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Releases);
    }

    [Theory]
    [InlineData("Staging", "web", "v1")]
    [InlineData("staging", "-web", "v1")]
    [InlineData("staging", "web", ".v1")]
    [InlineData("staging", "web", "v1/../x")]
    public async Task Names_NotDnsLabelsOrVersions_AreRefused(string environment, string service, string version)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.Client.UploadArtifactAsync(release.Digest, release.Tar(), TestTimeouts.Ct).DefaultTimeout();
        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec(), TestTimeouts.Ct).DefaultTimeout();

        var refused = await Assert.ThrowsAsync<EdgeApiException>(() => edge.Client.PutReleaseAsync(
            environment, service, version, new EdgeReleaseSpec { ArtifactDigest = release.Digest, Command = "true" }, TestTimeouts.Ct)).DefaultTimeout();

        Assert.Contains(refused.StatusCode, new[] { 400, 404 });
        Assert.Empty((await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Releases);
    }

    private static List<int> Processes(string marker) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _))
            .Where(pid => ReadCommandLine(pid!).Contains(marker, StringComparison.Ordinal) && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
            .Select(pid => int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
