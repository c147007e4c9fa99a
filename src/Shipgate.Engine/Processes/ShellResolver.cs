using System.Diagnostics.CodeAnalysis;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Resolves a step's <c>shell:</c> exactly as GitHub's runner does on Linux:
/// <list type="bullet">
/// <item>unspecified: <c>bash -e {0}</c>, or <c>sh -e {0}</c> when bash is not installed;</item>
/// <item><c>bash</c>: <c>bash --noprofile --norc -eo pipefail {0}</c>; <c>sh</c>: <c>sh -e {0}</c>;</item>
/// <item><c>python</c>: <c>python {0}</c> (python3 when there is no python);</item>
/// <item><c>pwsh</c>/<c>powershell</c>: <c>pwsh -command ". '{0}'"</c> when installed;</item>
/// <item>a custom template <c>program args {0}</c>: the first word is the program, the rest the arguments.</item>
/// </list>
/// </summary>
public static class ShellResolver
{
    private const string InvalidShell =
        "Invalid shell option. Shell must be a valid built-in (bash, sh, cmd, powershell, pwsh) or a format string containing '{0}'";

    /// <summary>Resolves <paramref name="shell"/> against <paramref name="searchPath"/> (the step's PATH).</summary>
    /// <param name="shell">The step's (or defaults') <c>shell:</c>; null or empty for the default.</param>
    /// <param name="searchPath">The PATH the step will see.</param>
    /// <param name="invocation">The resolved shell.</param>
    /// <param name="error">One sentence for the step's log when the shell cannot be used.</param>
    public static bool TryResolve(
        string? shell,
        string? searchPath,
        [NotNullWhen(true)] out ShellInvocation? invocation,
        [NotNullWhen(false)] out string? error)
    {
        invocation = null;
        error = null;
        shell = shell?.Trim();

        if (string.IsNullOrEmpty(shell))
        {
            var path = ExecutableLocator.Find("bash", searchPath) ?? ExecutableLocator.Find("sh", searchPath);
            if (path is null)
            {
                error = "Neither bash nor sh was found on the step's PATH.";
                return false;
            }

            invocation = new ShellInvocation("sh", path, "-e {0}", ".sh");
            return true;
        }

        // GitHub splits at the first space: the program, then the argument template.
        var space = shell.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? shell : shell[..space];
        var format = space < 0 ? string.Empty : shell[(space + 1)..].TrimStart();
        var builtin = Builtins.GetValueOrDefault(name);
        if (format.Length == 0)
        {
            format = builtin.Format ?? string.Empty;
        }

        if (!format.Contains("{0}", StringComparison.Ordinal))
        {
            error = InvalidShell;
            return false;
        }

        var program = ExecutableLocator.Find(name, searchPath);
        if (program is null && name == "python")
        {
            program = ExecutableLocator.Find("python3", searchPath);
        }

        if (program is null)
        {
            error = name switch
            {
                "pwsh" or "powershell" => $"The shell '{name}' needs PowerShell, which is not installed on this host: install it (pwsh on PATH) or choose another shell.",
                "cmd" => "The shell 'cmd' exists only on Windows; choose bash, sh, python or pwsh.",
                _ => $"{name}: command not found (the step's shell is not on its PATH).",
            };
            return false;
        }

        invocation = new ShellInvocation(name, program, format, builtin.Extension ?? string.Empty);
        return true;
    }

    private static readonly Dictionary<string, (string? Format, string? Extension)> Builtins = new(StringComparer.Ordinal)
    {
        ["bash"] = ("--noprofile --norc -eo pipefail {0}", ".sh"),
        ["sh"] = ("-e {0}", ".sh"),
        ["python"] = ("{0}", ".py"),
        ["pwsh"] = ("-command \". '{0}'\"", ".ps1"),
        ["powershell"] = ("-command \". '{0}'\"", ".ps1"),
        ["cmd"] = ("/D /E:ON /V:OFF /S /C \"CALL \"{0}\"\"", ".cmd"),
    };
}
