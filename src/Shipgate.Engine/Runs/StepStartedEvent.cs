using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>A step started. A step skipped by its <c>if:</c> only has a <see cref="StepFinishedEvent"/>.</summary>
public sealed record StepStartedEvent : RunEvent
{
    public required string JobKey { get; init; }

    /// <summary>1-based number of the step in its job; post steps continue the numbering.</summary>
    public required int StepNumber { get; init; }

    public string? StepId { get; init; }

    public required string Name { get; init; }

    /// <summary>The step's log file (masked), or null for a skipped step.</summary>
    public string? LogPath { get; init; }

    internal override RunEvent Mask(SecretMasker masker) => this with { Name = masker.Mask(Name) };
}
