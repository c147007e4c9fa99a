using System.Diagnostics;

namespace Shipgate.Engine.Tests.Actions;

/// <summary>Runs a real program for a test's own checks: its trimmed stdout, or an exception on failure or after 30 s.</summary>
internal static class TestProcess
{
    public static string Run(string directory, string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not end within 30 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed: {stderr.Result}");
        }

        return stdout.Result.Trim();
    }
}
