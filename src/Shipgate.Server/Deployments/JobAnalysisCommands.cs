using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Processes;

namespace Shipgate.Server.Deployments;

/// <summary>
/// Runs a canary's <c>command</c> metrics as a <c>run:</c> step of the deploying job (ADR 0024): through the step's
/// <see cref="IActionContext.RunScriptAsync"/>, so in the job's sandbox as the runner user under <c>shipgate up</c>,
/// with the workspace as working directory and the step's clean environment, never as a process of the server. The
/// command comes from the commit being deployed; it gets what a step of that job gets, and the releases it judges.
/// </summary>
internal sealed class JobAnalysisCommands(IActionContext context) : IAnalysisCommandRunner
{
    /// <summary>The most of the output's last line that goes into the deployment's record.</summary>
    internal const int MaxLastLine = 200;

    public async Task<AnalysisCommandResult> RunAsync(CanarySubject subject, string command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        context.Log($"Analysis command for {subject.Service} {subject.CanaryVersion} (timeout {DurationText.Format(timeout)}): {command}");
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SHIPGATE_SERVICE"] = subject.Service,
            ["SHIPGATE_ENVIRONMENT"] = subject.Environment,
            ["SHIPGATE_CANARY_VERSION"] = subject.CanaryVersion,
            ["SHIPGATE_STABLE_VERSION"] = subject.StableVersion,
        };
        string? last = null;
        var result = await context.RunScriptAsync(
            command,
            timeout,
            variables,
            line =>
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    last = line;
                }
            },
            cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        context.Log(result.Outcome switch
        {
            ProcessOutcome.TimedOut => $"The analysis command did not end within {DurationText.Format(timeout)}: its processes were killed.",
            ProcessOutcome.FailedToStart => $"The analysis command could not start: {result.Error}",
            _ => $"The analysis command exited {result.ExitCode}.",
        });
        var lastLine = result.Outcome == ProcessOutcome.FailedToStart ? result.Error : last?.Trim();
        return new AnalysisCommandResult(
            result.Outcome == ProcessOutcome.Exited ? result.ExitCode : null, result.Outcome == ProcessOutcome.TimedOut, Cut(lastLine));
    }

    /// <summary>At most <see cref="MaxLastLine"/> characters, an ellipsis ending a cut line, never half a surrogate pair.</summary>
    internal static string? Cut(string? line)
    {
        if (line is not { Length: > MaxLastLine })
        {
            return line;
        }

        var end = char.IsHighSurrogate(line[MaxLastLine - 2]) ? MaxLastLine - 2 : MaxLastLine - 1;
        return line[..end] + "…";
    }
}
