namespace Shipgate.Core.Expressions;

/// <summary>The state of the current job, for the status functions.</summary>
public enum JobStatus
{
    Success,
    Failure,
    Cancelled,
}

/// <summary>The named values and host services an expression is evaluated with.</summary>
public sealed class EvaluationContext
{
    /// <summary>Named values (github, env, matrix...), looked up ignoring case.</summary>
    public required IReadOnlyDictionary<string, ExpressionValue> Contexts { get; init; }

    /// <summary>The status seen by success()/failure()/cancelled(); for a job's <c>if:</c>, the worst of its needs.</summary>
    public JobStatus Status { get; init; } = JobStatus.Success;

    /// <summary>Computes hashFiles(patterns...); null makes hashFiles an evaluation error.</summary>
    public Func<IReadOnlyList<string>, string>? HashFiles { get; init; }

    /// <summary>Upper bound on the bytes an evaluation may build (strings, arrays). Default 1 MiB... 10 MiB.</summary>
    public long MaxResultBytes { get; init; } = 10 * 1024 * 1024;
}
