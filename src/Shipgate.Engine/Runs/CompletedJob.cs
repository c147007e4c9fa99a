namespace Shipgate.Engine.Runs;

/// <summary>
/// A job instance (a job, a matrix leg, or a job of a called workflow) that a run completed before it
/// was resumed, as it was recorded: a resumed run takes it as done, neither running it nor publishing
/// its events again, and feeds its result and outputs to the jobs that need it.
/// </summary>
public sealed record CompletedJob
{
    /// <summary>The job's id in its workflow.</summary>
    public required string JobId { get; init; }

    /// <summary>The display name it ran under.</summary>
    public required string Name { get; init; }

    /// <summary>What happened, before continue-on-error.</summary>
    public required Conclusion Outcome { get; init; }

    /// <summary>The result its dependents see as <c>needs.&lt;id&gt;.result</c>.</summary>
    public required Conclusion Conclusion { get; init; }

    /// <summary>Why it failed, was cancelled or skipped; null on success.</summary>
    public string? Reason { get; init; }

    /// <summary>Its outputs, as recorded.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The matrix values of the leg as JSON, or null.</summary>
    public string? MatrixJson { get; init; }
}
