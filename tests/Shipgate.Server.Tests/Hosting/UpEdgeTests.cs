using System.Text.Json;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary><c>shipgate up</c> and its local edge: started before the server, outliving it, attached to after a restart.</summary>
public sealed class UpEdgeTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-up-edge-").FullName;

    [Fact]
    public async Task Up_StartsTheLocalEdge_ItOutlivesTheServerAndTheNextUpAttaches()
    {
        var port = Ports.Free();
        int first;
        await using (var up = await ShipgateUp.StartOnAsync(_data, port, new Dictionary<string, string>()))
        {
            first = EdgePid();
            Assert.NotEqual(0, first);

            Assert.Equal(0, await up.StopAsync());
            Assert.True(File.Exists($"/proc/{first}/stat"), "The edge must outlive the server that started it.");
            await using var again = await ShipgateUp.StartOnAsync(_data, port, new Dictionary<string, string>());

            Assert.Equal(first, EdgePid());
        }

        Assert.False(File.Exists(Path.Combine(_data, "edge", "edge.json")), "Disposing the test's server stops its edge (shipgate edge stop).");
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private int EdgePid()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_data, "edge", "edge.json")));
        return json.RootElement.GetProperty("pid").GetInt32();
    }
}
