namespace Shipgate.Engine.Runs;

/// <summary>A job instance asking to pass its environment's gate (see <see cref="IJobGate"/>).</summary>
public sealed record JobGateRequest
{
    /// <summary>GITHUB_RUN_ID of the run.</summary>
    public required string RunId { get; init; }

    /// <summary>The job instance's key (see <see cref="JobStartedEvent.JobKey"/>).</summary>
    public required string JobKey { get; init; }

    public required string JobId { get; init; }

    /// <summary>The display name of the job instance.</summary>
    public required string Name { get; init; }

    /// <summary>The environment's name, evaluated with the job's contexts (never empty).</summary>
    public required string Environment { get; init; }

    /// <summary>The matrix values of this leg as JSON, or null.</summary>
    public string? MatrixJson { get; init; }

    /// <summary>How many legs the job has (1 without a matrix): a host that groups a job's legs knows how many to expect.</summary>
    public int LegCount { get; init; } = 1;
}
