using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>The run ended.</summary>
public sealed record RunFinishedEvent : RunEvent
{
    public required Conclusion Conclusion { get; init; }

    /// <summary>Why the run failed or was cancelled when no job says it (e.g. its concurrency group), or null.</summary>
    public string? Reason { get; init; }

    public required TimeSpan Duration { get; init; }

    internal override RunEvent Mask(SecretMasker masker) => this with { Reason = Mask(masker, Reason) };
}
