using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class ShellResolverTests
{
    private const string HostPath = "/usr/local/bin:/usr/bin:/bin";

    private static string FakeBin(params string[] programs)
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        foreach (var program in programs)
        {
            var path = Path.Combine(directory, program);
            File.WriteAllText(path, "#!/bin/sh\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return directory;
    }

    [Theory]
    [InlineData(null, "bash", "-e {0}", ".sh")]
    [InlineData("", "bash", "-e {0}", ".sh")]
    [InlineData("bash", "bash", "--noprofile --norc -eo pipefail {0}", ".sh")]
    [InlineData("sh", "sh", "-e {0}", ".sh")]
    [InlineData("python", "python", "{0}", ".py")]
    [InlineData("pwsh", "pwsh", "-command \". '{0}'\"", ".ps1")]
    [InlineData("bash -x {0}", "bash", "-x {0}", ".sh")]
    [InlineData("perl -w {0}", "perl", "-w {0}", "")]
    public void TryResolve_KnownShells_UseGitHubsTemplates(string? shell, string program, string format, string extension)
    {
        var bin = FakeBin("bash", "sh", "python", "pwsh", "perl");

        Assert.True(ShellResolver.TryResolve(shell, bin, out var invocation, out var error), error);

        Assert.Equal(Path.Combine(bin, program), invocation.ProgramPath);
        Assert.Equal(format, invocation.ArgumentFormat);
        Assert.Equal(extension, invocation.ScriptExtension);
    }

    [Fact]
    public void TryResolve_DefaultWithoutBash_FallsBackToSh()
    {
        var bin = FakeBin("sh");

        Assert.True(ShellResolver.TryResolve(null, bin, out var invocation, out _));

        Assert.Equal(Path.Combine(bin, "sh"), invocation.ProgramPath);
        Assert.Equal("-e {0}", invocation.ArgumentFormat);
    }

    [Fact]
    public void TryResolve_PythonWithoutPython_UsesPython3()
    {
        var bin = FakeBin("python3");

        Assert.True(ShellResolver.TryResolve("python", bin, out var invocation, out _));

        Assert.Equal(Path.Combine(bin, "python3"), invocation.ProgramPath);
        Assert.Equal(".py", invocation.ScriptExtension);
    }

    [Fact]
    public void TryResolve_PwshNotInstalled_SaysSoClearly()
    {
        Assert.False(ShellResolver.TryResolve("pwsh", FakeBin("bash"), out _, out var error));

        Assert.Equal("The shell 'pwsh' needs PowerShell, which is not installed on this host: install it (pwsh on PATH) or choose another shell.", error);
    }

    [Theory]
    [InlineData("perl -w", "Invalid shell option. Shell must be a valid built-in (bash, sh, cmd, powershell, pwsh) or a format string containing '{0}'")]
    [InlineData("nosuchshell {0}", "nosuchshell: command not found (the step's shell is not on its PATH).")]
    [InlineData("cmd", "The shell 'cmd' exists only on Windows; choose bash, sh, python or pwsh.")]
    public void TryResolve_Unusable_ReturnsOneSentence(string shell, string expected)
    {
        Assert.False(ShellResolver.TryResolve(shell, FakeBin("bash", "perl"), out _, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void WriteScript_Pwsh_SplitsTheCommandAndAddsGitHubsFixUps()
    {
        var temp = ProcessTestSupport.NewTempDirectory();
        var invocation = new ShellInvocation("pwsh", "/usr/bin/pwsh", "-command \". '{0}'\"", ".ps1");

        var script = invocation.WriteScript(temp, "Write-Output hi");

        Assert.EndsWith(".ps1", script.ScriptPath, StringComparison.Ordinal);
        Assert.Equal(["-command", $". '{script.ScriptPath}'"], script.Arguments);
        Assert.Equal(
            "$ErrorActionPreference = 'stop'\nWrite-Output hi\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }",
            File.ReadAllText(script.ScriptPath));
    }

    [Fact]
    public void WriteScript_NextStepInTheSameDirectory_GetsANewFileAndReleaseRemovesEach()
    {
        var temp = ProcessTestSupport.NewTempDirectory();
        Assert.True(ShellResolver.TryResolve(null, HostPath, out var shell, out _));
        var first = shell.WriteScript(temp, "echo first");
        first.Release();

        var second = shell.WriteScript(temp, "echo second");

        Assert.NotEqual(first.ScriptPath, second.ScriptPath);
        Assert.False(File.Exists(first.ScriptPath));
        Assert.Equal("echo second", File.ReadAllText(second.ScriptPath));
        second.Release();
        Assert.False(File.Exists(second.ScriptPath));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void WriteScript_ScriptWithInlinedSecrets_IsReadableByItsOwnerOnly()
    {
        Assert.True(ShellResolver.TryResolve(null, HostPath, out var shell, out _));

        var script = shell.WriteScript(ProcessTestSupport.NewTempDirectory(), "echo s3cr3t");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(script.ScriptPath));
        script.Release();
    }

    [Theory]
    [InlineData("echo start; false; echo unreachable", 1, new[] { "start" })]
    [InlineData("false | true; echo piped", 0, new[] { "piped" })]
    public async Task WriteScript_DefaultShell_RunsWithBashMinusE(string body, int exitCode, string[] lines)
    {
        Assert.True(ShellResolver.TryResolve(null, HostPath, out var shell, out _));
        var script = shell.WriteScript(ProcessTestSupport.NewTempDirectory(), body);
        var output = new OutputCollector();

        var result = await new ProcessRunner().RunAsync(
            new ProcessSpec { FileName = script.FileName, Arguments = script.Arguments, WorkingDirectory = Path.GetTempPath(), Environment = ProcessTestSupport.BaseEnvironment() },
            output.Add,
            TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(lines, output.Texts(OutputStream.StandardOutput));
    }

    [Fact]
    public async Task WriteScript_BashShell_FailsOnPipelineErrors()
    {
        Assert.True(ShellResolver.TryResolve("bash", HostPath, out var shell, out _));
        var script = shell.WriteScript(ProcessTestSupport.NewTempDirectory(), "false | true\necho unreachable");

        var result = await new ProcessRunner().RunAsync(
            new ProcessSpec { FileName = script.FileName, Arguments = script.Arguments, WorkingDirectory = Path.GetTempPath(), Environment = ProcessTestSupport.BaseEnvironment() },
            _ => { },
            TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(1, result.ExitCode);
    }
}
