namespace Shipgate.Engine.Steps;

/// <summary>
/// How a <c>run:</c> script is started, as GitHub's runner does on Linux: the default is
/// <c>bash -e {0}</c> (or <c>sh -e {0}</c> without bash); <c>bash</c> is
/// <c>bash --noprofile --norc -eo pipefail {0}</c>; <c>sh</c> is <c>sh -e {0}</c>; <c>python</c> is
/// <c>python {0}</c>; <c>pwsh</c> is <c>pwsh -command ". '{0}'"</c>; any other value is a template
/// such as <c>perl {0}</c>.
/// </summary>
internal sealed record ShellCommand(string FileName, IReadOnlyList<string> Arguments, string ScriptExtension, string ScriptPrefix, string ScriptSuffix)
{
    public static bool TryResolve(string? shell, string? path, out ShellCommand? command, out string? error)
    {
        command = null;
        error = null;
        var name = shell?.Trim();
        switch (name)
        {
            case null or "":
                command = FindOnPath("bash", path) is { } bash
                    ? new ShellCommand(bash, ["-e", "{0}"], ".sh", "", "")
                    : new ShellCommand(FindOnPath("sh", path) ?? "sh", ["-e", "{0}"], ".sh", "", "");
                return true;
            case "bash":
                return Found("bash", ["--noprofile", "--norc", "-eo", "pipefail", "{0}"], ".sh", "", "", path, out command, out error);
            case "sh":
                return Found("sh", ["-e", "{0}"], ".sh", "", "", path, out command, out error);
            case "python":
                if (FindOnPath("python", path) is null && FindOnPath("python3", path) is not null)
                {
                    return Found("python3", ["{0}"], ".py", "", "", path, out command, out error);
                }

                return Found("python", ["{0}"], ".py", "", "", path, out command, out error);
            case "pwsh":
                return Found("pwsh", ["-command", ". '{0}'"], ".ps1", "$ErrorActionPreference = 'stop'\n", "\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }", path, out command, out error);
            case "powershell" or "cmd":
                error = $"shell '{name}' is only available on Windows runners; Shipgate runs jobs on a Linux host";
                return false;
        }

        if (!name.Contains("{0}", StringComparison.Ordinal))
        {
            error = $"shell '{name}' is not a known shell and has no '{{0}}' for the script file";
            return false;
        }

        var parts = SplitArguments(name);
        return Found(parts[0], parts.Skip(1).ToArray(), ".sh", "", "", path, out command, out error);
    }

    /// <summary>The arguments with <c>{0}</c> replaced by the script file.</summary>
    public IReadOnlyList<string> ArgumentsFor(string scriptPath) =>
        [.. Arguments.Select(a => a.Replace("{0}", scriptPath, StringComparison.Ordinal))];

    /// <summary>The full path of <paramref name="program"/> on <paramref name="path"/>, or null.</summary>
    public static string? FindOnPath(string program, string? path)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        foreach (var directory in (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool Found(string program, string[] arguments, string extension, string prefix, string suffix, string? path, out ShellCommand? command, out string? error)
    {
        var file = FindOnPath(program, path);
        if (file is null)
        {
            command = null;
            error = $"shell '{program}' was not found on PATH; install it on the host";
            return false;
        }

        command = new ShellCommand(file, arguments, extension, prefix, suffix);
        error = null;
        return true;
    }

    /// <summary>Splits a custom shell template on spaces, keeping double-quoted parts together.</summary>
    private static List<string> SplitArguments(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }
}
