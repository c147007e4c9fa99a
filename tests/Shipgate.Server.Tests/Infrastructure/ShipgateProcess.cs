using System.Diagnostics;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>Runs the built <c>shipgate</c> executable as a real child process, with a clean SHIPGATE_* environment.</summary>
internal static class ShipgateProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "shipgate");

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? standardInput = null)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the machine's own Shipgate setup leaks into a test.
        start.Environment["SHIPGATE_URL"] = null;
        start.Environment["SHIPGATE_TOKEN"] = null;
        start.Environment["SHIPGATE_DATA"] = Path.Combine(Path.GetTempPath(), "shipgate-no-data-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout();
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout.DefaultTimeout(), await stderr.DefaultTimeout());
    }

    /// <summary>The environment that points the CLI at <paramref name="server"/> with <paramref name="token"/>.</summary>
    public static Dictionary<string, string?> For(RunningServer server, string? token) => new()
    {
        ["SHIPGATE_URL"] = server.Url.ToString(),
        ["SHIPGATE_TOKEN"] = token,
    };
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string LastLine => Stdout.TrimEnd().Split('\n')[^1];

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
