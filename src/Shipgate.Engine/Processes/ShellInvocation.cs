using System.Text;

namespace Shipgate.Engine.Processes;

/// <summary>
/// A resolved <c>shell:</c> of a <c>run:</c> step: the program found on the step's PATH, GitHub's argument
/// template for it (with <c>{0}</c> standing for the script file) and the script file's extension.
/// </summary>
/// <param name="ShellName">The template's first word (<c>bash</c>, <c>sh</c>, <c>python</c>, <c>pwsh</c>, or a custom program).</param>
/// <param name="ProgramPath">The program's full path.</param>
/// <param name="ArgumentFormat">The arguments, containing <c>{0}</c>; split as .NET splits ProcessStartInfo.Arguments.</param>
/// <param name="ScriptExtension">The script file's extension (<c>.sh</c>, <c>.py</c>, <c>.ps1</c>), empty for a custom program.</param>
public sealed record ShellInvocation(string ShellName, string ProgramPath, string ArgumentFormat, string ScriptExtension)
{
    /// <summary>What GitHub prints in the step's header: <c>shell: /usr/bin/bash -e {0}</c>.</summary>
    public string DisplayCommand => $"{ProgramPath} {ArgumentFormat}";

    /// <summary>
    /// Writes <paramref name="script"/> to a new file in <paramref name="runnerTemp"/> (UTF-8 without BOM, with
    /// GitHub's fix-ups for PowerShell; mode 0600, see <see cref="StepFiles"/>) and returns the process to run. The
    /// caller calls <see cref="PreparedScript.Release"/> after the step, which removes the file.
    /// </summary>
    public PreparedScript WriteScript(string runnerTemp, string script)
    {
        Directory.CreateDirectory(runnerTemp);
        var path = Path.Combine(Path.GetFullPath(runnerTemp), $"{Guid.NewGuid()}{ScriptExtension}");
        StepFiles.Create(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(FixUp(script)));

        // As GitHub does: escape quotes in the path, put it in the template, then split the template into arguments.
        var arguments = CommandLineArguments.Split(ArgumentFormat.Replace("{0}", path.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal));
        return new PreparedScript(path, ProgramPath, arguments);
    }

    private string FixUp(string script) => ShellName switch
    {
        // PowerShell does not stop on errors nor exit with the last native exit code unless told (GitHub's fix-up).
        "pwsh" or "powershell" =>
            "$ErrorActionPreference = 'stop'\n" + script + "\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }",
        _ => script,
    };
}
