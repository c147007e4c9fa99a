using Shipgate.Core.Expressions;
using Shipgate.Engine.Processes;
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
        if (!ShellResolver.TryResolve(shell, StepProcess.SearchPath(job, env), out var invocationOfShell, out var error))
        {
            return StepBodyResult.Failure(error);
        }

        var directory = workingDirectory is null or "" ? job.Workspace : Path.GetFullPath(workingDirectory, job.Workspace);
        var prepared = invocationOfShell.WriteScript(job.Temp, script);
        try
        {
            job.Sandbox?.GiveToRunner(prepared.ScriptPath);
            return await StepProcess.RunAsync(job, prepared.FileName, prepared.Arguments, directory, env, github, sink, invocation, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            prepared.Release();
        }
    }
}
