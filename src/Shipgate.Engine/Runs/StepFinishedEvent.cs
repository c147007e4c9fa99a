using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>A step ended, or was skipped.</summary>
public sealed record StepFinishedEvent : RunEvent
{
    public required string JobKey { get; init; }

    public required int StepNumber { get; init; }

    public string? StepId { get; init; }

    public required string Name { get; init; }

    /// <summary><c>steps.&lt;id&gt;.outcome</c>: before continue-on-error.</summary>
    public required Conclusion Outcome { get; init; }

    /// <summary><c>steps.&lt;id&gt;.conclusion</c>: after continue-on-error.</summary>
    public required Conclusion Conclusion { get; init; }

    /// <summary>Why it failed (<c>timed out</c>, an exit code, an action's message), or null.</summary>
    public string? Reason { get; init; }

    public required TimeSpan Duration { get; init; }

    internal override RunEvent Mask(SecretMasker masker) => this with { Name = masker.Mask(Name), Reason = Mask(masker, Reason) };
}
