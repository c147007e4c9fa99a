namespace Shipgate.Delivery.Approvals;

/// <summary>
/// What one approval covers: one run's release going to one environment. Every job of the run that names
/// the environment, and every matrix leg of those jobs, waits on the same approval and passes with it; a new
/// run (a new push, a re-dispatch) asks again. The environment name is lower-cased, as names compare without case.
/// </summary>
public readonly record struct ApprovalKey
{
    public ApprovalKey(string runId, string environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        RunId = runId;
        Environment = environment.ToLowerInvariant();
    }

    public string RunId { get; }

    public string Environment { get; }

    /// <summary><c>RUN/ENVIRONMENT</c>, for logs and messages.</summary>
    public override string ToString() => $"{RunId}/{Environment}";
}
