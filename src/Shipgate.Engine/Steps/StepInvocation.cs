namespace Shipgate.Engine.Steps;

/// <summary>
/// What one executing step (a run step, an action, an inner step of a composite) collects while it
/// runs: its outputs (GITHUB_OUTPUT, <c>::set-output</c>) and the state it saves for its post step.
/// </summary>
internal sealed class StepInvocation
{
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>GITHUB_STATE and <c>::save-state</c>, given to the post step as STATE_name.</summary>
    public Dictionary<string, string> State { get; } = new(StringComparer.Ordinal);
}
