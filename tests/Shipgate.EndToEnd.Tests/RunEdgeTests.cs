using Shipgate.Cli.Run;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Hosting;
using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.EndToEnd.Tests;

/// <summary>The edge <c>shipgate run</c> offers its built-in actions: started on first use under the run's data directory.</summary>
public sealed class RunEdgeTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _data = Directory.CreateTempSubdirectory("run-edge-").FullName;

    [Fact]
    public async Task LazyEdgeClient_FirstUse_StartsTheEdgeUnderTheRunsDataAndIsTheIEdgeClient()
    {
        using var lazy = new LazyEdgeClient(new EdgeLaunchOptions
        {
            StateDirectory = Path.Combine(_data, "edge"),
            Listen = "127.0.0.1:0",
            ShipgateCommand = [ShipgateCli.Executable],
            Isolate = false,
        });
        Assert.False(File.Exists(Path.Combine(_data, "edge", "edge.json")));

        var client = Assert.IsType<IEdgeClient>(((IServiceProvider)lazy).GetService(typeof(IEdgeClient)), exactMatch: false);
        var state = await client.GetStateAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Empty(state.Services);
        Assert.Equal(Path.Combine(_data, "edge"), (await client.GetInfoAsync(TestContext.Current.CancellationToken)).StateDirectory);
    }

    [Fact]
    public async Task Run_EdgePortNotAPort_IsOneSentenceExit2()
    {
        var result = await ShipgateCli.RunAsync(["run", "nothing.yml", "--edge-port", "70000"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--edge-port 70000 is not a TCP port", result.Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await EdgeLauncher.StopAsync(Path.Combine(_data, "edge"), Timeout, TestContext.Current.CancellationToken);
        Directory.Delete(_data, recursive: true);
    }
}
