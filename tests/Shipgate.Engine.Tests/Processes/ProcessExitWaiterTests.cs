using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class ProcessExitWaiterTests
{
    [Fact]
    public async Task WaitAsync_ShortChildWhileALongOneRuns_IsReportedWithoutWaitingForTheLongOne()
    {
        using var longRunning = Spawn("exec sleep 300");
        using var shortRunning = Spawn("exit 5");

        var exitCode = await shortRunning.Exited.DefaultTimeoutAsync();

        Assert.Equal(5, exitCode);
        Assert.False(longRunning.Exited.IsCompleted);
        NativeMethods.Kill(longRunning.Id, NativeMethods.SigKill);
        Assert.Equal(137, await longRunning.Exited.DefaultTimeoutAsync());
    }

    [Fact]
    public async Task WaitAsync_ManyChildrenOneAfterAnother_EachGetsItsOwnExitCode()
    {
        for (var i = 0; i < 20; i++)
        {
            using var process = Spawn($"exit {i}");

            Assert.Equal(i, await process.Exited.DefaultTimeoutAsync());
        }
    }

    [Fact]
    public async Task WaitAsync_ManyChildrenAtOnce_EachGetsItsOwnExitCode()
    {
        var processes = Enumerable.Range(0, 10).Select(i => Spawn($"sleep 0.$((RANDOM % 3)); exit {i}")).ToList();
        try
        {
            var codes = await Task.WhenAll(processes.Select(p => p.Exited)).DefaultTimeoutAsync();

            Assert.Equal(Enumerable.Range(0, 10), codes);
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }
    }

    private static SessionProcess Spawn(string script)
    {
        var process = SessionProcess.TrySpawn("/bin/bash", ["--noprofile", "--norc", "-c", script], Path.GetTempPath(), ProcessTestSupport.BaseEnvironment());
        Assert.NotNull(process);
        return process;
    }
}
