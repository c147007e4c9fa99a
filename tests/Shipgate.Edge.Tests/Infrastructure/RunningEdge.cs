using Microsoft.Extensions.Logging.Abstractions;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Hosting;
using Shipgate.Edge.Routing;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Infrastructure;

/// <summary>
/// A real edge in this process (proxy, admin API on a Unix socket or a loopback port, supervisor) on a fresh state
/// directory, with a client. Disposing stops every instance (as <c>shipgate edge stop</c>), so no process outlives a test.
/// </summary>
internal sealed class RunningEdge : IAsyncDisposable
{
    private RunningEdge(EdgeHost host, string stateDirectory, EdgeHostOptions options)
    {
        Host = host;
        StateDirectory = stateDirectory;
        Options = options;
        Client = new EdgeClient(host.Connection);
    }

    public EdgeHost Host { get; private set; }

    public EdgeHostOptions Options { get; }

    public string StateDirectory { get; }

    public EdgeClient Client { get; private set; }

    public EdgeRouter Router => Host.Router;

    public static async Task<RunningEdge> StartAsync(bool isolate = false, string? admin = null, IReadOnlyList<string>? hidden = null)
    {
        var state = Path.Combine(Directory.CreateTempSubdirectory("edge-state-").FullName, "edge");
        var options = new EdgeHostOptions { StateDirectory = state, Listen = "127.0.0.1:0", Admin = admin, Isolate = isolate, Hidden = hidden ?? [] };
        var host = await EdgeHost.StartAsync(options, NullLoggerFactory.Instance, TimeProvider.System, TestTimeouts.Ct).DefaultTimeout();
        return new RunningEdge(host, state, options);
    }

    /// <summary>Ends this edge as SIGTERM does (instances keep running) and starts a new one on the same state directory.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Client.Dispose();
        Host = await EdgeHost.StartAsync(Options, NullLoggerFactory.Instance, TimeProvider.System, TestTimeouts.Ct).DefaultTimeout();
        Client = new EdgeClient(Host.Connection);
    }

    /// <summary>Declares the service and a release of <paramref name="release"/> and waits until its instances are healthy.</summary>
    public async Task<EdgeReleaseStatus> DeployAsync(
        TestRelease release, string version, int instances = 1, string command = "exec python3 app.py", string environment = "staging", string service = "web",
        EdgeServiceSpec? spec = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        if (!await Client.HasArtifactAsync(release.Digest, TestTimeouts.Ct).DefaultTimeout())
        {
            using var tar = release.Tar();
            await Client.UploadArtifactAsync(release.Digest, tar, TestTimeouts.Ct).DefaultTimeout();
        }

        await Client.PutServiceAsync(environment, service, spec ?? new EdgeServiceSpec { HealthIntervalMs = 100, DrainTimeoutMs = 2000, StopGraceMs = 2000 }, TestTimeouts.Ct)
            .DefaultTimeout();
        await Client.PutReleaseAsync(environment, service, version, new EdgeReleaseSpec
            {
                ArtifactDigest = release.Digest,
                Command = command,
                Instances = instances,
                Environment = variables ?? new Dictionary<string, string>(),
            }, TestTimeouts.Ct)
            .DefaultTimeout();
        return await WaitForReleaseAsync(environment, service, version, r => r.InstanceStatuses.All(i => i.State == EdgeInstanceState.Healthy), "its instances to be healthy");
    }

    public async Task<EdgeReleaseStatus> WaitForReleaseAsync(string environment, string service, string version, Func<EdgeReleaseStatus, bool> condition, string what) =>
        await TestTimeouts.EventuallyAsync(
            async () => (await Client.GetServiceAsync(environment, service, TestTimeouts.Ct))?.Releases.FirstOrDefault(r => r.Version == version) is { } r && condition(r) ? r : null,
            $"release {version}: {what}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.StopAsync(TestTimeouts.Ct).DefaultTimeout();
            await Host.StopRequested.DefaultTimeout();
        }
        finally
        {
            await Host.DisposeAsync();
            Client.Dispose();
            Directory.Delete(Path.GetDirectoryName(StateDirectory)!, recursive: true);
        }
    }
}
