namespace Shipgate.Engine.Runs;

/// <summary>What a <see cref="IJobGate"/> answered: pass with what the environment hands the job, or fail with why.</summary>
public sealed record JobGateDecision
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public required bool Passed { get; init; }

    /// <summary>Why the job may not run, in one sentence (the job's reason); null when it passed.</summary>
    public string? Reason { get; init; }

    /// <summary>Secrets for this job only, over the run's (masked like every secret).</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = None;

    /// <summary>Variables for this job only, over the run's (the <c>vars</c> context).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = None;

    public static JobGateDecision Pass(IReadOnlyDictionary<string, string>? secrets = null, IReadOnlyDictionary<string, string>? variables = null) =>
        new() { Passed = true, Secrets = secrets ?? None, Variables = variables ?? None };

    public static JobGateDecision Fail(string reason) => new() { Passed = false, Reason = reason };
}
