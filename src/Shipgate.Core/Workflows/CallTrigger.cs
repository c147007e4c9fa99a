namespace Shipgate.Core.Workflows;

/// <summary><c>workflow_call</c>: what a reusable workflow takes and gives.</summary>
public sealed class CallTrigger
{
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];

    /// <summary>Workflow outputs: name to value expression (usually <c>${{ jobs.x.outputs.y }}</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Outputs { get; init; } = [];

    /// <summary>Declared secrets: name to whether it is required.</summary>
    public IReadOnlyList<KeyValuePair<string, bool>> Secrets { get; init; } = [];
}
