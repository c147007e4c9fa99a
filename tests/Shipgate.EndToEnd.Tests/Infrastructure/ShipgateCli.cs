using System.Diagnostics;
using System.Text;

namespace Shipgate.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the built <c>shipgate</c> executable as a real child process.</summary>
internal static class ShipgateCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "shipgate");

    /// <summary>
    /// A copy of the build that another user can run: the checkout may sit in a folder only its owner may enter (a
    /// fresh clone under a 0700 temporary folder), where that user could not even resolve the executable's path.
    /// </summary>
    private static readonly Lazy<string> ReachableCopy = new(() =>
    {
        var copy = Directory.CreateTempSubdirectory("shipgate-cli-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(copy, recursive: true);
        using var cp = Process.Start("cp", ["-a", AppContext.BaseDirectory + "/.", copy]) ?? throw new InvalidOperationException("cp did not start");
        cp.WaitForExit();
        return cp.ExitCode == 0 ? Path.Combine(copy, "shipgate") : throw new InvalidOperationException($"copying the build to {copy} failed");
    });

    /// <summary>Starts shipgate with stdin, stdout and stderr redirected (no terminal); as <paramref name="user"/> when given (through setpriv).</summary>
    public static Process Start(IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string? user = null)
    {
        // As a person at a terminal starts it: with Ctrl-C's SIGINT (and SIGQUIT) at their default, even where the tests
        // themselves were started in the background with those ignored (which a child would inherit, and keep).
        arguments = user is null
            ? ["--default-signal=INT,QUIT", "--", Executable, .. arguments]
            : ["--default-signal=INT,QUIT", "--", "setpriv", "--reuid", user, "--regid", user, "--init-groups", "--", ReachableCopy.Value, .. arguments];
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("shipgate did not start");
    }

    /// <summary>Runs shipgate to its end, bounded by <paramref name="timeout"/>; the process is killed on timeout.</summary>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? user = null)
    {
        using var process = Start(arguments, workingDirectory, environment, user);
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? DefaultTimeout);
            await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"shipgate {string.Join(' ', arguments)} did not finish in time.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
