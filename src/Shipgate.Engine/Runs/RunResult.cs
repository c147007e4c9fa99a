namespace Shipgate.Engine.Runs;

/// <summary>How a run ended: its conclusion, each job's (each matrix leg's) result, and its artifacts.</summary>
public sealed class RunResult
{
    public required string RunId { get; init; }

    public required Conclusion Conclusion { get; init; }

    /// <summary>Why the run failed when no job says it (an invalid run-level value), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>Every job instance in the order they finished: matrix legs and reusable-workflow jobs each on their own.</summary>
    public required IReadOnlyList<JobRunResult> Jobs { get; init; }

    public required IReadOnlyList<RunArtifact> Artifacts { get; init; }

    /// <summary>The run's directory under the data directory.</summary>
    public required string RunDirectory { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>The host detached from the run (<see cref="RunRequest.Detach"/>): its end was not published; the host resumes it.</summary>
    public bool Detached { get; init; }

    /// <summary>The jobs with this id (all legs of a matrix job), ignoring case.</summary>
    public IEnumerable<JobRunResult> JobsWithId(string jobId) => Jobs.Where(j => string.Equals(j.JobId, jobId, StringComparison.OrdinalIgnoreCase));
}
