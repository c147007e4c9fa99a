using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Something that happened in a run. <see cref="Sequence"/> numbers the run's events from 1 without
/// gaps, so a consumer that resumes a stream can ask for the events after the last one it saw.
/// </summary>
public abstract record RunEvent
{
    public required string RunId { get; init; }

    public required long Sequence { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// This event with every text that an expression or a process may have filled masked (names, reasons,
    /// messages). The engine publishes only masked events, so no observer can store, stream or show a secret.
    /// </summary>
    internal virtual RunEvent Mask(SecretMasker masker) => this;

    internal static string? Mask(SecretMasker masker, string? text) => text is null ? null : masker.Mask(text);
}
