using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>strategy: canary: guardrails:</c>: limits that fail a canary at any look, without statistics, over the last
/// <see cref="Window"/> of its traffic.
/// </summary>
public sealed record CanaryGuardrails
{
    /// <summary>The guardrails when none are written.</summary>
    public static readonly CanaryGuardrails Default = new();

    /// <summary>The highest error rate (5xx, transport errors, timeouts over answered requests) the canary may have. Default 0.2 (20%).</summary>
    public double MaxErrorRate { get; init; } = 0.2;

    /// <summary>The fewest canary requests in the window before the error rate and p99 guardrails judge. Default 20.</summary>
    public int MinRequests { get; init; } = 20;

    /// <summary>The slowest p99 the canary may have; null (the default): not checked.</summary>
    public TimeSpan? MaxP99 { get; init; }

    /// <summary>Fail when an instance of the canary crash-loops (the edge's crashLooping). Default true.</summary>
    public bool CrashLooping { get; init; } = true;

    /// <summary>How far back the error rate and p99 guardrails look. Default 30 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the block is written; null for the defaults.</summary>
    public SourceLocation? Location { get; init; }
}
