using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary>The data folder of the real <c>shipgate up</c> and everything in it: readable by the server's user only.</summary>
public sealed class DataFolderModesTests : IDisposable
{
    private const UnixFileMode GroupOrOthers = (UnixFileMode)0b000_111_111;

    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-modes-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Up_ExistingOpenDataFolderAndARun_FolderIs700AndEveryFileIs600()
    {
        File.SetUnixFileMode(_data, (UnixFileMode)0b111_101_101);
        using var repository = TestRepository.WithCiWorkflow();
        await using (var up = await ShipgateUp.StartOnAsync(_data, Ports.Free(), new Dictionary<string, string>()))
        {
            var run = await up.DispatchAsync(repository, "ci.yml");
            await EventuallyAsync(
                async () => (await up.JsonAsync(["runs", "show", run], ApiJsonContext.Default.RunDetailResponse)).Run is { Status: "completed" } done ? done : null,
                "the run to complete");
            Assert.Contains("was mode 755: tightened to 700", up.Output, StringComparison.Ordinal);
        }

        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(_data));
        var entries = Directory.EnumerateFileSystemEntries(_data, "*", SearchOption.AllDirectories).Select(p => new FileInfo(p)).Where(f => f.LinkTarget is null).ToList();
        Assert.Contains(entries, f => f.Name == "secret.key");
        Assert.Contains(entries, f => f.Name.EndsWith(".log", StringComparison.Ordinal));
        Assert.All(entries, f => Assert.True((File.GetUnixFileMode(f.FullName) & GroupOrOthers) == 0, $"{f.FullName} is {File.GetUnixFileMode(f.FullName)}"));
    }
}
