using System.ComponentModel;
using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class SessionProcessTests
{
    private const string Bash = "/bin/bash";

    [Fact]
    public async Task TrySpawn_Program_RunsInItsOwnSessionWithTheGivenEnvironmentAndDirectory()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        using var process = Spawn("cut -d ' ' -f 5,6 /proc/$$/stat; pwd; echo \"$ONLY\"; echo err >&2; exit 4", directory);

        var output = await ReadAllAsync(process.StandardOutput);
        var error = await ReadAllAsync(process.StandardError);
        var exitCode = await process.Exited.DefaultTimeoutAsync();

        Assert.Equal($"{process.Id} {process.Id}\n{directory}\nthis one\n", output);
        Assert.Equal("err\n", error);
        Assert.Equal(4, exitCode);
    }

    [Fact]
    public async Task TrySpawn_Signals_AreAtTheirDefaultsAndNoneIsBlocked()
    {
        // .NET ignores SIGPIPE in its own process; a step's `yes | head` must see yes die of SIGPIPE (141), as in a terminal.
        using var process = Spawn("yes | head -n 1 >/dev/null; echo \"${PIPESTATUS[0]}\"; exec grep -E '^Sig(Blk|Ign)' /proc/self/status");

        var output = await ReadAllAsync(process.StandardOutput);
        await process.Exited.DefaultTimeoutAsync();

        Assert.Equal("141\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", output);
    }

    [Fact]
    public async Task TrySpawn_KilledBySignal_ExitCodeIs128PlusTheSignal()
    {
        using var process = Spawn("kill -KILL $$");

        Assert.Equal(137, await process.Exited.DefaultTimeoutAsync());
    }

    [Fact]
    public async Task TrySpawn_StandardInput_IsEmpty()
    {
        using var process = Spawn("cat; echo done");

        Assert.Equal("done\n", await ReadAllAsync(process.StandardOutput));
        Assert.Equal(0, await process.Exited.DefaultTimeoutAsync());
    }

    [Fact]
    public void TrySpawn_MissingProgram_ThrowsWithTheSystemsMessage()
    {
        var error = Assert.Throws<Win32Exception>(() =>
            SessionProcess.TrySpawn("/nonexistent/shipgate-program", [], Path.GetTempPath(), ProcessTestSupport.BaseEnvironment()));

        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrySpawn_MissingWorkingDirectory_Throws()
    {
        Assert.Throws<Win32Exception>(() => SessionProcess.TrySpawn(Bash, ["-c", "true"], "/nonexistent/shipgate-directory", ProcessTestSupport.BaseEnvironment()));
    }

    [Fact]
    public async Task TrySpawn_ManyRuns_LeaveNoDescriptorOpen()
    {
        using (var first = Spawn("true"))
        {
            await ReadAllAsync(first.StandardOutput);
            await first.Exited.DefaultTimeoutAsync();
        }

        var before = Directory.GetFiles("/proc/self/fd").Length;
        for (var i = 0; i < 100; i++)
        {
            using var process = Spawn("echo hi");
            await ReadAllAsync(process.StandardOutput);
            await ReadAllAsync(process.StandardError);
            await process.Exited.DefaultTimeoutAsync();
        }

        // Other tests run in parallel and open files too (a few dozen at times): a leak of one descriptor per run would show as 100.
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, before + 60);
        Assert.Throws<Win32Exception>(() => SessionProcess.TrySpawn("/nonexistent/shipgate-program", [], Path.GetTempPath(), ProcessTestSupport.BaseEnvironment()));
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, before + 60);
    }

    private static SessionProcess Spawn(string script, string? directory = null)
    {
        var environment = ProcessTestSupport.BaseEnvironment();
        environment["ONLY"] = "this one";
        var process = SessionProcess.TrySpawn(Bash, ["--noprofile", "--norc", "-c", script], directory ?? Path.GetTempPath(), environment);
        Assert.NotNull(process);
        return process;
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken).DefaultTimeoutAsync();
    }
}
