using System.Runtime.Versioning;
using Shipgate.Engine.Actions.Builtin;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Actions.Builtin;

/// <summary>setup-python, setup-dotnet, setup-java and setup-go against the host's real toolchains (and stand-ins).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SetupHostToolchainTests : IDisposable
{
    private readonly FakeActionContext _context = new();

    public void Dispose() => _context.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The host's python3 version, asked directly (what the action must find).</summary>
    private static string RunPython() =>
        TestProcess.Run(Directory.GetCurrentDirectory(), "python3", "-c", "import platform; print(platform.python_version())");

    [Fact]
    public async Task SetupPython_HostSatisfiesVersion_PutsItOnPathWithOutputs()
    {
        var host = RunPython();
        var major = host.Split('.')[0];
        var minor = host.Split('.')[1];
        _context.With("python-version", $"{major}.{minor}");

        var result = await new SetupPythonAction().RunAsync(_context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(host, _context.Outputs["python-version"]);
        Assert.True(File.Exists(_context.Outputs["python-path"]));
        Assert.Contains(Path.GetDirectoryName(_context.Outputs["python-path"]), _context.AddedPaths);
        Assert.True(_context.ExportedVariables.ContainsKey("pythonLocation"));
    }

    [Fact]
    public async Task SetupPython_VersionTheHostLacks_FailsNamingBothVersions()
    {
        var host = RunPython();
        _context.With("python-version", "3.99");

        var result = await new SetupPythonAction().RunAsync(_context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("Python 3.99 was requested", result.Message, StringComparison.Ordinal);
        Assert.Contains(host, result.Message, StringComparison.Ordinal);
        Assert.Contains("does not download Python", result.Message, StringComparison.Ordinal);
        Assert.Empty(_context.AddedPaths);
    }

    [Fact]
    public async Task SetupPython_SeveralOnPath_PicksTheOneThatMatches()
    {
        var bin = _context.Root.Create("fakebin");
        var fake = FakeExecutable.Create(bin, "python3.42", $"echo 3.42.1; echo {bin}; echo {bin}/python3.42");
        _context.Environment["PATH"] = bin + ":" + _context.Environment["PATH"];
        _context.With("python-version", "3.42");

        var result = await new SetupPythonAction().RunAsync(_context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("3.42.1", _context.Outputs["python-version"]);
        Assert.Equal(fake, _context.Outputs["python-path"]);
        // Only python3.42 is there: the action adds a "python" that names it.
        var shims = _context.AddedPaths[^1];
        Assert.Equal(fake, new FileInfo(Path.Combine(shims, "python")).LinkTarget);
    }

    [Fact]
    public async Task SetupPython_VersionFile_IsRead()
    {
        var host = RunPython();
        File.WriteAllText(Path.Combine(_context.Workspace, ".python-version"), host + "\n");
        _context.With("python-version-file", ".python-version");

        var result = await new SetupPythonAction().RunAsync(_context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(host, _context.Outputs["python-version"]);
    }

    [Fact]
    public async Task SetupPython_MissingVersionFile_FailsNamingIt()
    {
        _context.With("python-version-file", ".python-version");

        var result = await new SetupPythonAction().RunAsync(_context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains(".python-version", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupDotnet_HostSdk_SatisfiesItsMajorAndRejectsAnother()
    {
        var ok = _context.NextStep().With("dotnet-version", $"{Environment.Version.Major}.0.x");
        var okResult = await new SetupDotnetAction().RunAsync(ok, Token).DefaultTimeout();
        var missing = _context.NextStep().With("dotnet-version", "3.1.x");
        var missingResult = await new SetupDotnetAction().RunAsync(missing, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, okResult.Conclusion);
        Assert.StartsWith($"{Environment.Version.Major}.0.", ok.Outputs["dotnet-version"], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ok.ExportedVariables["DOTNET_ROOT"], "dotnet")));
        Assert.Equal(Conclusion.Failure, missingResult.Conclusion);
        Assert.Contains(".NET SDK 3.1.x was requested", missingResult.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupJava_HostJdk_SetsJavaHome()
    {
        var java = _context.NextStep().With("java-version", "17").With("distribution", "temurin");
        var result = await new SetupJavaAction().RunAsync(java, Token).DefaultTimeout();

        Assert.True(result.Conclusion == Conclusion.Success, result.Message + " (setup-java needs a JDK 17 on the host: apt-get install openjdk-17-jdk-headless)");
        Assert.StartsWith("17.", java.Outputs["version"], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(java.ExportedVariables["JAVA_HOME"], "bin", "java")));
        Assert.Equal(java.ExportedVariables["JAVA_HOME"], java.ExportedVariables["JAVA_HOME_17_X64"]);
    }

    [Fact]
    public async Task SetupJava_OldNumbering_AsksForThatMajor()
    {
        var result = await new SetupJavaAction().RunAsync(_context.With("java-version", "1.6").With("distribution", "zulu"), Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("Java 1.6 was requested", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupGo_StandIn_MatchesOrFailsNamingTheHostsVersion()
    {
        var bin = _context.Root.Create("fakebin");
        var goroot = _context.Root.Create("goroot");
        FakeExecutable.Create(bin, "go", $"echo go1.21.5; echo {goroot}");
        _context.Environment["PATH"] = bin + ":" + _context.Environment["PATH"];

        var ok = _context.NextStep().With("go-version", "1.21");
        var okResult = await new SetupGoAction().RunAsync(ok, Token).DefaultTimeout();
        var missing = _context.NextStep().With("go-version", ">=1.99");
        var missingResult = await new SetupGoAction().RunAsync(missing, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, okResult.Conclusion);
        Assert.Equal("1.21.5", ok.Outputs["go-version"]);
        Assert.Equal(goroot, ok.ExportedVariables["GOROOT"]);
        Assert.Equal(Conclusion.Failure, missingResult.Conclusion);
        Assert.Contains("Go >=1.99 was requested, but this host has Go", missingResult.Message, StringComparison.Ordinal);
        Assert.Contains("1.21.5", missingResult.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupGo_GoModWithToolchain_IsRead()
    {
        var bin = _context.Root.Create("fakebin");
        FakeExecutable.Create(bin, "go", $"echo go1.22.3; echo {_context.Root.Path}");
        _context.Environment["PATH"] = bin + ":" + _context.Environment["PATH"];
        File.WriteAllText(Path.Combine(_context.Workspace, "go.mod"), "module example.com/x\n\ngo 1.22\n\ntoolchain go1.22.3\n");

        var result = await new SetupGoAction().RunAsync(_context.With("go-version-file", "go.mod"), Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("local", _context.ExportedVariables["GOTOOLCHAIN"]);
    }

    [Fact]
    public async Task SetupPython_NotAVersion_FailsSayingSo()
    {
        var result = await new SetupPythonAction().RunAsync(_context.With("python-version", "pypy3.10"), Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("'pypy3.10'", result.Message, StringComparison.Ordinal);
    }
}
