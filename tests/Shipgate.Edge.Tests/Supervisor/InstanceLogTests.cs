using System.Diagnostics;
using Shipgate.Edge.Supervisor;

namespace Shipgate.Edge.Tests.Supervisor;

public sealed class InstanceLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shipgate-instance-log-").FullName;

    private string Log => Path.Combine(_directory, "web-1.log");

    [Fact]
    public async Task RotateIfLarge_WriterKeepsItsDescriptor_ItsNextLinesStartTheFileWithoutAHole()
    {
        // The writer is a real process holding the log open with O_APPEND (>>) across the rotation, as an instance does.
        using var writer = Process.Start(new ProcessStartInfo(
            "/bin/sh",
            ["-c", $"exec 3>>'{Log}'; i=0; while [ $i -lt 400 ]; do echo old-$i >&3; i=$((i+1)); done; echo ready; read _; echo after-rotation >&3"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        Assert.Equal("ready", await writer.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var before = new FileInfo(Log).Length;

        InstanceLog.RotateIfLarge(Log, limit: 1024);
        await writer.StandardInput.WriteLineAsync("go");
        await writer.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(before, new FileInfo(Log + ".1").Length);
        Assert.Equal("after-rotation\n", File.ReadAllText(Log));
        Assert.Equal("after-rotation", InstanceLog.LastLine(Log));
    }

    [Fact]
    public void RotateIfLarge_ManyRotations_KeepsThreeOlderFilesNewestFirst()
    {
        for (var round = 1; round <= 5; round++)
        {
            File.WriteAllText(Log, $"round {round}\n" + new string('x', 2048) + "\n");
            InstanceLog.RotateIfLarge(Log, limit: 1024);
        }

        InstanceLog.RotateIfLarge(Log, limit: 1024);

        Assert.Equal(0, new FileInfo(Log).Length);
        Assert.StartsWith("round 5", File.ReadAllText(Log + ".1"), StringComparison.Ordinal);
        Assert.StartsWith("round 4", File.ReadAllText(Log + ".2"), StringComparison.Ordinal);
        Assert.StartsWith("round 3", File.ReadAllText(Log + ".3"), StringComparison.Ordinal);
        Assert.False(File.Exists(Log + ".4"));
    }

    [Fact]
    public void RotateIfLarge_SmallLog_IsLeftAlone()
    {
        File.WriteAllText(Log, "short\n");

        InstanceLog.RotateIfLarge(Log, limit: 1024);

        Assert.Equal("short\n", File.ReadAllText(Log));
        Assert.False(File.Exists(Log + ".1"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
