using System.Diagnostics;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Flags.Tests.Infrastructure;

/// <summary>Runs a program to its end within a bound, collecting what it prints.</summary>
internal static class ExternalProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(TestTimeouts.Ct);
        var error = process.StandardError.ReadToEndAsync(TestTimeouts.Ct);
        try
        {
            await process.WaitForExitAsync(TestTimeouts.Ct).WaitAsync(timeout, TestTimeouts.Ct);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output.WaitAsync(timeout), await error.WaitAsync(timeout));
    }

    /// <summary>Whether <paramref name="program"/> is on PATH.</summary>
    public static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
