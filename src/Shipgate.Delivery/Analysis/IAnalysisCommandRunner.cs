namespace Shipgate.Delivery.Analysis;

/// <summary>
/// Runs an analysis step's <c>command</c> metric where the deploying job's steps run: in its sandbox (ADR 0012), as
/// its user, never as a process of the server. The command comes from the commit being deployed, so an implementation
/// must give it no more than a step of that job has. The deploy step gives its job's (ADR 0024) through
/// <see cref="Rollouts.RolloutRequest.Commands"/>; without one, command metrics are inconclusive and nothing runs.
/// </summary>
public interface IAnalysisCommandRunner
{
    Task<AnalysisCommandResult> RunAsync(CanarySubject subject, string command, TimeSpan timeout, CancellationToken cancellationToken = default);
}
