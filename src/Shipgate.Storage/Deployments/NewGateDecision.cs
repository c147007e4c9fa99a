namespace Shipgate.Storage.Deployments;

/// <summary>What a gate answered, about a deployment, an approval or a run's job (at least one of them).</summary>
public sealed record NewGateDecision
{
    public long? DeploymentId { get; init; }

    public long? ApprovalId { get; init; }

    public long? RunId { get; init; }

    public string? JobKey { get; init; }

    /// <summary>approval, wait-timer, branches, freeze, smoke-test, analysis…</summary>
    public required string Gate { get; init; }

    public required GateResult Result { get; init; }

    /// <summary>Why, in one sentence (e.g. "automatic by policy").</summary>
    public required string Reason { get; init; }

    /// <summary>The numbers behind the answer as JSON, or null.</summary>
    public string? NumbersJson { get; init; }
}
