namespace Shipgate.Server.Api;

/// <summary>
/// One event of a run, as stored and streamed (server-sent events: <c>id</c> is <see cref="Sequence"/>,
/// <c>event</c> is <see cref="Type"/>). Types: run_started, job_started, job_finished, step_started,
/// step_finished, step_output, step_annotation, run_finished. Fields that do not apply are left out.
/// </summary>
public sealed record RunEventResponse
{
    public required long Sequence { get; init; }

    public required string Type { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public string? JobKey { get; init; }

    public string? Name { get; init; }

    public int? StepNumber { get; init; }

    /// <summary>A line a step printed (masked).</summary>
    public string? Line { get; init; }

    /// <summary>error, warning or notice (annotations).</summary>
    public string? Level { get; init; }

    public string? Message { get; init; }

    public string? Conclusion { get; init; }

    public string? Reason { get; init; }

    public string? Environment { get; init; }

    public string? Ref { get; init; }

    public string? Sha { get; init; }

    public double? DurationSeconds { get; init; }
}
