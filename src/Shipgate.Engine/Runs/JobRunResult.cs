namespace Shipgate.Engine.Runs;

/// <summary>The result of one job instance (a job, a matrix leg, or a job of a called workflow).</summary>
public sealed record JobRunResult
{
    /// <summary>Unique in the run (see <see cref="JobStartedEvent.JobKey"/>).</summary>
    public required string Key { get; init; }

    public required string JobId { get; init; }

    public required string Name { get; init; }

    public required Conclusion Outcome { get; init; }

    public required Conclusion Conclusion { get; init; }

    public string? Reason { get; init; }

    public required IReadOnlyDictionary<string, string> Outputs { get; init; }

    /// <summary>The matrix values of this leg as JSON, or null.</summary>
    public string? MatrixJson { get; init; }

    public required IReadOnlyList<StepRunResult> Steps { get; init; }
}

/// <summary>The result of one step of a job.</summary>
public sealed record StepRunResult(int Number, string? Id, string Name, Conclusion Outcome, Conclusion Conclusion, string? Reason, string? LogPath);
