using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>One entry of <c>jobs:</c>.</summary>
public sealed class JobDefinition
{
    public required string Id { get; init; }

    public required SourceLocation Location { get; init; }

    public ScalarToken? Name { get; init; }

    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>The entries of <see cref="Needs"/> as written, with their positions.</summary>
    public IReadOnlyList<ScalarToken> NeedsTokens { get; init; } = [];

    /// <summary>The <c>if:</c> condition as written (with or without <c>${{ }}</c>).</summary>
    public ScalarToken? If { get; init; }

    /// <summary>A label, a list of labels, or a mapping with group/labels.</summary>
    public TemplateToken? RunsOn { get; init; }

    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Env { get; init; } = [];

    public RunDefaults? Defaults { get; init; }

    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Outputs { get; init; } = [];

    public EnvironmentReference? Environment { get; init; }

    public ConcurrencyDefinition? Concurrency { get; init; }

    /// <summary>A number or an expression; GitHub's default is 360.</summary>
    public ScalarToken? TimeoutMinutes { get; init; }

    public ScalarToken? ContinueOnError { get; init; }

    public StrategyDefinition? Strategy { get; init; }

    /// <summary>A local reusable workflow (<c>./.github/workflows/x.yml</c>); then Steps is empty.</summary>
    public ScalarToken? Uses { get; init; }

    public MappingToken? With { get; init; }

    /// <summary>Secrets passed to a reusable workflow; null with <see cref="SecretsInherit"/> for <c>secrets: inherit</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Secrets { get; init; } = [];

    public bool SecretsInherit { get; init; }

    /// <summary>Set when the job declares <c>container</c> (needs Docker, which Shipgate does not use).</summary>
    public SourceLocation? Container { get; init; }

    /// <summary>Set when the job declares <c>services</c> (needs Docker).</summary>
    public SourceLocation? Services { get; init; }

    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
}
