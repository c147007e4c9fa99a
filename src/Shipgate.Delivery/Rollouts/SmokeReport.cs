namespace Shipgate.Delivery.Rollouts;

/// <summary>What a run of smoke checks found: one line per check, and the first failure in one sentence (null: all passed).</summary>
public sealed record SmokeReport(IReadOnlyList<string> Lines, string? Failure)
{
    public bool Passed => Failure is null;
}
