using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>
/// A job (or one leg of a matrix job, or one job of a called reusable workflow) started running.
/// A job skipped by its <c>if:</c> has no started event, only a <see cref="JobFinishedEvent"/>.
/// </summary>
public sealed record JobStartedEvent : RunEvent
{
    /// <summary>Unique in the run: the job id, <c>[n]</c> for a matrix leg, <c>caller/callee</c> for a reusable workflow.</summary>
    public required string JobKey { get; init; }

    public required string JobId { get; init; }

    /// <summary>The display name, e.g. <c>build (18, ubuntu)</c> or <c>deploy / release</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The job's <c>environment</c> name (evaluated), or null. The server applies the environment's gates.</summary>
    public string? Environment { get; init; }

    /// <summary>The matrix values of this leg as JSON, or null.</summary>
    public string? MatrixJson { get; init; }

    internal override RunEvent Mask(SecretMasker masker) => this with { Name = masker.Mask(Name), Environment = Mask(masker, Environment) };
}
