namespace Shipgate.Storage.Runs;

/// <summary>A job to queue in a run (for a runner to claim), before it starts.</summary>
public sealed record NewJob
{
    public required long RunId { get; init; }

    /// <summary>Unique in the run: the job id, <c>id [n]</c> for a matrix leg, <c>caller/callee</c> for a reusable workflow.</summary>
    public required string Key { get; init; }

    public required string JobId { get; init; }

    public required string Name { get; init; }

    public string? Environment { get; init; }

    public string? MatrixJson { get; init; }
}
