using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Shipgate.Edge.Hosting;
using Shipgate.Edge.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Hosting;

public sealed class EdgeHostTests
{
    [Fact]
    public async Task Start_ListenPortTaken_SaysSoAndLeavesNoStateDirectory()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var parent = Directory.CreateTempSubdirectory("edge-host-").FullName;
        var state = Path.Combine(parent, "edge");

        var error = await Assert.ThrowsAsync<EdgeStartException>(() => Start(new EdgeHostOptions { StateDirectory = state, Listen = $"127.0.0.1:{port}", Isolate = false }));

        Assert.Contains("the port is in use", error.Message);
        Assert.False(Directory.Exists(state));
        Directory.Delete(parent);
    }

    [Fact]
    public async Task Start_StateDirectoryUnwritable_SaysSo()
    {
        var parent = Directory.CreateTempSubdirectory("edge-host-").FullName;
        var file = Path.Combine(parent, "a-file");
        await File.WriteAllTextAsync(file, "", TestTimeouts.Ct);

        var error = await Assert.ThrowsAsync<EdgeStartException>(() => Start(new EdgeHostOptions { StateDirectory = Path.Combine(file, "edge"), Listen = "127.0.0.1:0", Isolate = false }));

        Assert.StartsWith($"The state directory {file}/edge cannot be written", error.Message, StringComparison.Ordinal);
        Directory.Delete(parent, recursive: true);
    }

    [Theory]
    [InlineData("localhost:8080", null, "--listen")]
    [InlineData("127.0.0.1:99999", null, "--listen")]
    [InlineData("127.0.0.1:0", "tcp://127.0.0.1:1", "--admin")]
    [InlineData("127.0.0.1:0", "unix:", "--admin")]
    public async Task Start_BadAddress_IsOneSentenceNamingTheOption(string listen, string? admin, string option)
    {
        var parent = Directory.CreateTempSubdirectory("edge-host-").FullName;

        var error = await Assert.ThrowsAsync<EdgeStartException>(() => Start(new EdgeHostOptions { StateDirectory = Path.Combine(parent, "edge"), Listen = listen, Admin = admin, Isolate = false }));

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
        Directory.Delete(parent);
    }

    [Fact]
    public async Task Start_SecondEdgeOnTheSameState_IsRefused()
    {
        await using var edge = await RunningEdge.StartAsync();

        var error = await Assert.ThrowsAsync<EdgeStartException>(() => Start(edge.Options));

        Assert.Contains($"Another edge runs with the state directory {edge.StateDirectory} (pid {Environment.ProcessId})", error.Message);
        Assert.Equal(Environment.ProcessId, (await edge.Client.GetInfoAsync(TestTimeouts.Ct).DefaultTimeout()).Pid);
    }

    [Fact]
    public async Task Start_WritesDiscoveryForTheLauncher_AndRemovesItOnExit()
    {
        var edge = await RunningEdge.StartAsync();
        await using (edge)
        {
            var attached = await EdgeLauncher.TryAttachAsync(edge.StateDirectory, TestTimeouts.Ct).DefaultTimeout();

            Assert.Equal(edge.Host.Connection, attached);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(edge.StateDirectory, "edge.json")));
        }

        Assert.False(File.Exists(Path.Combine(edge.StateDirectory, "edge.json")));
    }

    [Fact]
    public async Task Start_StateFileDamaged_SaysWhichFileAndChangesNothing()
    {
        var parent = Directory.CreateTempSubdirectory("edge-host-").FullName;
        var state = Path.Combine(parent, "edge");
        Directory.CreateDirectory(state);
        await File.WriteAllTextAsync(Path.Combine(state, "state.json"), "{\"services\": [", TestTimeouts.Ct);

        var error = await Assert.ThrowsAsync<EdgeStartException>(() => Start(new EdgeHostOptions { StateDirectory = state, Listen = "127.0.0.1:0", Isolate = false }));

        Assert.StartsWith($"The edge's state file {state}/state.json is not valid", error.Message, StringComparison.Ordinal);
        Assert.Equal("{\"services\": [", await File.ReadAllTextAsync(Path.Combine(state, "state.json"), TestTimeouts.Ct));
        Assert.False(File.Exists(Path.Combine(state, "edge.json")));
        Directory.Delete(parent, recursive: true);
    }

    private static async Task<EdgeHost> Start(EdgeHostOptions options) =>
        await EdgeHost.StartAsync(options, NullLoggerFactory.Instance, TimeProvider.System, TestTimeouts.Ct).DefaultTimeout();
}
