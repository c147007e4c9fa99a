using System.Diagnostics;

namespace Shipgate.Engine.Steps;

/// <summary>
/// A plain <see cref="Process"/> runner, used until the process-tree runner of Processes/ is wired in.
/// </summary>
internal sealed class HostProcessRunner : IStepProcessRunner
{
    public async Task<StepProcessResult> RunAsync(StepProcessStart start, Action<string> onLine, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(start.FileName)
        {
            WorkingDirectory = start.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in start.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var pair in start.Environment)
        {
            info.Environment[pair.Key] = pair.Value;
        }

        using var process = new Process { StartInfo = info };
        var gate = new Lock();
        process.Start();
        process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, onLine, gate);
        var stderr = PumpAsync(process.StandardError, onLine, gate);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            killed = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(killed ? 5 : 3600), CancellationToken.None).ConfigureAwait(false);
        return new StepProcessResult(process.ExitCode, killed);
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine, Lock gate)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (gate)
            {
                onLine(line);
            }
        }
    }
}
