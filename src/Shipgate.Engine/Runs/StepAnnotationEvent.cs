using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>An <c>::error</c>, <c>::warning</c> or <c>::notice</c> of a step (masked), or one the engine adds.</summary>
public sealed record StepAnnotationEvent : RunEvent
{
    public required string JobKey { get; init; }

    public required int StepNumber { get; init; }

    public required AnnotationLevel Level { get; init; }

    public required string Message { get; init; }

    public string? Title { get; init; }

    public string? File { get; init; }

    public int? Line { get; init; }

    public int? Column { get; init; }

    internal override RunEvent Mask(SecretMasker masker) =>
        this with { Message = masker.Mask(Message), Title = Mask(masker, Title), File = Mask(masker, File) };
}
