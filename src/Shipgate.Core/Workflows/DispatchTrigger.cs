namespace Shipgate.Core.Workflows;

/// <summary><c>workflow_dispatch</c>.</summary>
public sealed class DispatchTrigger
{
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];
}
