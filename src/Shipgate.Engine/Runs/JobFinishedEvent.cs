using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>A job (or matrix leg) ended, or was skipped without starting.</summary>
public sealed record JobFinishedEvent : RunEvent
{
    public required string JobKey { get; init; }

    public required string JobId { get; init; }

    public required string Name { get; init; }

    /// <summary>What happened, before continue-on-error.</summary>
    public required Conclusion Outcome { get; init; }

    /// <summary>The job's result as <c>needs.&lt;id&gt;.result</c> shows it.</summary>
    public required Conclusion Conclusion { get; init; }

    /// <summary>Why it failed, was cancelled or skipped, in one sentence; null on success.</summary>
    public string? Reason { get; init; }

    public required IReadOnlyDictionary<string, string> Outputs { get; init; }

    public required TimeSpan Duration { get; init; }

    internal override RunEvent Mask(SecretMasker masker) => this with { Name = masker.Mask(Name), Reason = Mask(masker, Reason) };
}
