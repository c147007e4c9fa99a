namespace Shipgate.Engine.Tools;

/// <summary>How a short helper command (git, <c>python3 --version</c>) ended, with its whole output.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first non-empty line of stderr, else of stdout: what to quote when the command failed.</summary>
    public string FirstErrorLine
    {
        get
        {
            foreach (var text in new[] { StandardError, StandardOutput })
            {
                var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
                if (line is not null)
                {
                    return line;
                }
            }

            return $"exit code {ExitCode}";
        }
    }
}
