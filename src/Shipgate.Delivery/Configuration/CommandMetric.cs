using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- command: { run: ./check.sh, timeout: 30s }</c>: passes when the command exits 0. It runs only through the
/// rollout's <see cref="Analysis.IAnalysisCommandRunner"/>, as a step of the deploying job (in its sandbox), never as a
/// process of the server itself.
/// </summary>
public sealed record CommandMetric(string Run, SourceLocation? Location) : AnalysisMetric(Location)
{
    /// <summary>How long the command may run. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The name shown in the record; default <c>command</c>.</summary>
    public string? Label { get; init; }

    public override string Name => Label ?? "command";
}
