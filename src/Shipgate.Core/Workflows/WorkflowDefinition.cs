namespace Shipgate.Core.Workflows;

/// <summary>A parsed workflow file (GitHub Actions syntax). Expressions are kept unevaluated.</summary>
public sealed class WorkflowDefinition
{
    public required string FilePath { get; init; }

    public ScalarToken? Name { get; init; }

    public ScalarToken? RunName { get; init; }

    public required WorkflowTriggers On { get; init; }

    /// <summary>Workflow-level <c>env</c>, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Env { get; init; } = [];

    public RunDefaults? Defaults { get; init; }

    public ConcurrencyDefinition? Concurrency { get; init; }

    /// <summary>Jobs in file order.</summary>
    public required IReadOnlyList<JobDefinition> Jobs { get; init; }

    public JobDefinition? FindJob(string id) => Jobs.FirstOrDefault(j => string.Equals(j.Id, id, StringComparison.OrdinalIgnoreCase));
}
