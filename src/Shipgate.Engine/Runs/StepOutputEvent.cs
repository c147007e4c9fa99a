namespace Shipgate.Engine.Runs;

/// <summary>One line a step printed, already masked (workflow commands are not shown as lines).</summary>
public sealed record StepOutputEvent : RunEvent
{
    public required string JobKey { get; init; }

    public required int StepNumber { get; init; }

    public required string Line { get; init; }
}
