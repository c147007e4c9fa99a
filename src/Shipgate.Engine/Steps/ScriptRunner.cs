using Shipgate.Core.Expressions;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>Runs a <c>run:</c> script: written to a file under RUNNER_TEMP and started with its shell.</summary>
internal static class ScriptRunner
{
    public static async Task<StepBodyResult> RunAsync(
        JobState job,
        string script,
        string? shell,
        string? workingDirectory,
        IReadOnlyDictionary<string, string> env,
        ObjectValue github,
        StepOutputSink sink,
        StepInvocation invocation,
        CancellationToken cancellationToken)
    {
        if (!ShellCommand.TryResolve(shell, StepProcess.SearchPath(job, env), out var command, out var error))
        {
            return StepBodyResult.Failure(error!);
        }

        var directory = workingDirectory is null or "" ? job.Workspace : Path.GetFullPath(workingDirectory, job.Workspace);
        if (!Directory.Exists(directory))
        {
            return StepBodyResult.Failure($"The working directory '{directory}' does not exist.");
        }

        var scriptPath = Path.Combine(job.Temp, Guid.NewGuid().ToString("D") + command!.ScriptExtension);
        await File.WriteAllTextAsync(scriptPath, command.ScriptPrefix + script + command.ScriptSuffix, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StepProcess.RunAsync(job, command.FileName, command.ArgumentsFor(scriptPath), directory, env, github, sink, invocation, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
