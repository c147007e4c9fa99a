namespace Shipgate.Engine.Runs;

/// <summary>
/// Decides whether a job instance (a job or a matrix leg) that names an <c>environment:</c> may run,
/// and what the environment hands it. The engine asks after the job's <c>if:</c> and concurrency group
/// and before the job takes a host slot or runs a step, outside the observer, so a job waiting here
/// (for an approval, a wait timer, a deployment) holds back neither a slot nor the run's other events.
/// The engine may ask for several jobs of a run at once.
/// </summary>
public interface IJobGate
{
    /// <summary>
    /// Waits until the job may run (pass, with the environment's secrets and variables) or may not (fail,
    /// with the reason the job ends with). Cancellation (the run's, or fail-fast's) ends the job cancelled.
    /// </summary>
    Task<JobGateDecision> EnterAsync(JobGateRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called when a job that passed its gate ended, before its job.finished event, with its result.
    /// Not cancellable: what it records is recorded even when the run was cancelled.
    /// </summary>
    Task LeaveAsync(JobGateRequest request, JobRunResult result, CancellationToken cancellationToken = default);
}
