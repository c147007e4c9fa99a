using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>An input of workflow_dispatch or workflow_call.</summary>
public sealed class InputDefinition
{
    public required string Name { get; init; }

    /// <summary>Where the input is declared (its key).</summary>
    public SourceLocation? Location { get; init; }

    public string? Description { get; init; }

    public bool Required { get; init; }

    /// <summary>string, boolean, number, choice or environment (dispatch); string, boolean or number (call).</summary>
    public string Type { get; init; } = "string";

    public ScalarToken? Default { get; init; }

    /// <summary>The options of a choice input.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}
