using System.Text.RegularExpressions;

namespace Shipgate.Engine.Tools;

/// <summary>
/// Finds the toolchains the host has, by asking them (<c>python3 -c</c>, <c>dotnet --list-sdks</c>,
/// <c>go version</c>, a JDK's <c>release</c> file). Programs that cannot run are skipped, never fatal.
/// </summary>
internal static partial class HostToolchains
{
    public static async Task<IReadOnlyList<HostTool>> FindNodeAsync(string? pathVariable, CancellationToken cancellationToken = default)
    {
        var node = ExecutableLocator.Find("node", pathVariable);
        if (node is null)
        {
            return [];
        }

        var result = await CommandRunner.RunAsync(node, ["--version"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = result.Succeeded ? ToolVersion.TryParse(result.StandardOutput) : null;
        return version is null ? [] : [new HostTool(version, node, Path.GetDirectoryName(Path.GetDirectoryName(RealPath(node)))!, Path.GetDirectoryName(node)!)];
    }

    /// <summary>
    /// The Python 3 interpreters of the host, each once (by sys.executable): <c>python3</c> and <c>python</c> on PATH;
    /// with <paramref name="others"/>, instead the <c>python3.N</c> on PATH and pyenv's installed versions (asked
    /// directly: its shims of inactive versions only fail, slowly).
    /// </summary>
    public static async Task<IReadOnlyList<HostTool>> FindPythonAsync(IReadOnlyDictionary<string, string> environment, bool others, CancellationToken cancellationToken = default)
    {
        var pathVariable = ExecutableLocator.PathOf(environment);
        var pyenvRoot = environment.GetValueOrDefault("PYENV_ROOT")
            ?? Path.Combine(environment.GetValueOrDefault("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var candidates = new List<string>();
        foreach (var name in others ? [] : new[] { "python3", "python" })
        {
            if (ExecutableLocator.Find(name, pathVariable) is not { } found)
            {
                continue;
            }

            // A pyenv shim is a slow bash script; ask the version it would run instead.
            candidates.Add(IsPyenvShim(found, pyenvRoot) ? PyenvSelected(environment, pyenvRoot) ?? found : found);
        }

        foreach (var directory in others ? ExecutableLocator.SearchDirectories(pathVariable) : [])
        {
            candidates.AddRange(ListExecutables(directory, "python3.*")
                .Where(f => PythonMinorName().IsMatch(Path.GetFileName(f)) && !IsPyenvShim(f, pyenvRoot)));
        }

        foreach (var version in others ? ListDirectories(Path.Combine(pyenvRoot, "versions")) : [])
        {
            candidates.Add(Path.Combine(version, "bin", "python3"));
        }

        var probes = candidates.Distinct(StringComparer.Ordinal).Where(ExecutableLocator.IsExecutable).Select(async candidate =>
        {
            var result = await CommandRunner.RunAsync(
                candidate,
                ["-c", "import sys, platform; print(platform.python_version()); print(sys.prefix); print(sys.executable)"],
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return result.Succeeded && lines.Length >= 3 && ToolVersion.TryParse(lines[0]) is { Major: 3 } version
                ? new HostTool(version, lines[2], lines[1], Path.GetDirectoryName(lines[2])!)
                : null;
        });
        var tools = await Task.WhenAll(probes).ConfigureAwait(false);
        return tools.OfType<HostTool>().DistinctBy(t => t.Executable, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The .NET SDKs of the <c>dotnet</c> on PATH (one HostTool per SDK, all with the same root).</summary>
    public static async Task<IReadOnlyList<HostTool>> FindDotnetSdksAsync(string? pathVariable, CancellationToken cancellationToken = default)
    {
        var dotnet = ExecutableLocator.Find("dotnet", pathVariable);
        if (dotnet is null)
        {
            return [];
        }

        var result = await CommandRunner.RunAsync(dotnet, ["--list-sdks"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = Path.GetDirectoryName(RealPath(dotnet))!;
        return result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => ToolVersion.TryParse(line.Split(' ')[0]))
            .OfType<ToolVersion>()
            .Select(v => new HostTool(v, Path.Combine(root, "dotnet"), root, root))
            .ToArray();
    }

    public static async Task<IReadOnlyList<HostTool>> FindGoAsync(string? pathVariable, CancellationToken cancellationToken = default)
    {
        var candidates = new[] { ExecutableLocator.Find("go", pathVariable), "/usr/local/go/bin/go", "/usr/lib/go/bin/go" }
            .OfType<string>()
            .Where(ExecutableLocator.IsExecutable)
            .Select(RealPath)
            .Distinct(StringComparer.Ordinal);
        var tools = new List<HostTool>();
        foreach (var go in candidates)
        {
            var result = await CommandRunner.RunAsync(go, ["env", "GOVERSION", "GOROOT"], cancellationToken: cancellationToken).ConfigureAwait(false);
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (result.Succeeded && lines.Length >= 2 && ToolVersion.TryParse(lines[0]) is { } version)
            {
                tools.Add(new HostTool(version, go, lines[1], Path.Combine(lines[1], "bin")));
            }
        }

        return tools;
    }

    /// <summary>The JDKs and JREs of the host: the <c>java</c> on PATH, JAVA_HOME, JAVA_HOME_*, and <c>/usr/lib/jvm/*</c>.</summary>
    public static async Task<IReadOnlyList<HostTool>> FindJavaAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        var homes = new List<string>();
        if (ExecutableLocator.Find("java", ExecutableLocator.PathOf(environment)) is { } java)
        {
            homes.Add(Path.GetDirectoryName(Path.GetDirectoryName(RealPath(java)))!);
        }

        homes.AddRange(environment.Where(e => e.Key == "JAVA_HOME" || e.Key.StartsWith("JAVA_HOME_", StringComparison.Ordinal)).Select(e => e.Value));
        homes.AddRange(ListDirectories("/usr/lib/jvm"));

        var tools = new List<HostTool>();
        foreach (var home in homes.Where(h => h.Length > 0).Select(RealPath).Distinct(StringComparer.Ordinal))
        {
            var executable = Path.Combine(home, "bin", "java");
            if (!ExecutableLocator.IsExecutable(executable) || tools.Any(t => t.Home == home))
            {
                continue;
            }

            var version = await JavaVersionAsync(home, executable, cancellationToken).ConfigureAwait(false);
            if (version is not null)
            {
                tools.Add(new HostTool(version, executable, home, Path.Combine(home, "bin")));
            }
        }

        return tools;
    }

    /// <summary>Java's old "1.8.0_292" numbering as 8.0.292, so that "8" and "1.8" both find it.</summary>
    public static ToolVersion? NormalizeJavaVersion(string text)
    {
        var version = ToolVersion.TryParse(text);
        if (version is { Major: 1, Minor: <= 8 and > 0 })
        {
            return ToolVersion.TryParse($"{version.Minor}.0.{version.Component(3)}");
        }

        return version;
    }

    private static async Task<ToolVersion?> JavaVersionAsync(string home, string executable, CancellationToken cancellationToken)
    {
        var release = Path.Combine(home, "release");
        if (File.Exists(release))
        {
            var match = JavaReleaseVersion().Match(await File.ReadAllTextAsync(release, cancellationToken).ConfigureAwait(false));
            if (match.Success)
            {
                return NormalizeJavaVersion(match.Groups[1].Value);
            }
        }

        var result = await CommandRunner.RunAsync(executable, ["-version"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var printed = JavaPrintedVersion().Match(result.StandardError + result.StandardOutput);
        return printed.Success ? NormalizeJavaVersion(printed.Groups[1].Value) : null;
    }

    private static bool IsPyenvShim(string path, string pyenvRoot) =>
        path.StartsWith(pyenvRoot + "/", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(path)) == "shims";

    /// <summary>The python3 of the version pyenv selects (PYENV_VERSION, else its global version file), or null.</summary>
    private static string? PyenvSelected(IReadOnlyDictionary<string, string> environment, string pyenvRoot)
    {
        var version = environment.GetValueOrDefault("PYENV_VERSION");
        if (string.IsNullOrWhiteSpace(version))
        {
            var file = Path.Combine(pyenvRoot, "version");
            version = File.Exists(file) ? File.ReadLines(file).FirstOrDefault()?.Trim() : null;
        }

        var python = version is null ? null : Path.Combine(pyenvRoot, "versions", version.Split(':')[0], "bin", "python3");
        return python is not null && ExecutableLocator.IsExecutable(python) ? python : null;
    }

    private static IEnumerable<string> ListExecutables(string directory, string pattern)
    {
        try
        {
            return Directory.EnumerateFiles(directory, pattern).Where(ExecutableLocator.IsExecutable).Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable or missing PATH entry holds nothing we can run.
            return [];
        }
    }

    private static IEnumerable<string> ListDirectories(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).ToArray() : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string RealPath(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true) ?? Directory.ResolveLinkTarget(path, returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    [GeneratedRegex(@"^python3\.\d+$")]
    private static partial Regex PythonMinorName();

    [GeneratedRegex("^JAVA_VERSION=\"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex JavaReleaseVersion();

    [GeneratedRegex("version \"([^\"]+)\"")]
    private static partial Regex JavaPrintedVersion();
}
