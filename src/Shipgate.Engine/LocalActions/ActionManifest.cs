using Shipgate.Core.Workflows;

namespace Shipgate.Engine.LocalActions;

/// <summary>An action.yml: its inputs, outputs and how it runs (composite steps, or node with main, pre and post).</summary>
internal sealed class ActionManifest
{
    public required string Directory { get; init; }

    public required string FilePath { get; init; }

    public required string Name { get; init; }

    /// <summary><c>composite</c>, <c>node12</c>...<c>node24</c>, or <c>docker</c>, in lower case.</summary>
    public required string Using { get; init; }

    public IReadOnlyList<ActionInputDefinition> Inputs { get; init; } = [];

    /// <summary>Outputs; for a composite action each has a <c>value</c> expression.</summary>
    public IReadOnlyList<KeyValuePair<string, ScalarToken?>> Outputs { get; init; } = [];

    public string? Main { get; init; }

    public string? Pre { get; init; }

    public ScalarToken? PreIf { get; init; }

    public string? Post { get; init; }

    public ScalarToken? PostIf { get; init; }

    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    public bool IsNode => Using.StartsWith("node", StringComparison.Ordinal);
}

/// <summary>An input of an action.yml.</summary>
internal sealed record ActionInputDefinition(string Name, ScalarToken? Default, bool Required);
