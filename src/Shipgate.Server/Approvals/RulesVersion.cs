namespace Shipgate.Server.Approvals;

/// <summary>
/// Which version of an environment's protection rules a run's deployment passed: shipgate.yml on the project's
/// protected branch at <paramref name="Sha"/>, and the rules the run's own commit tightened (empty: none).
/// </summary>
internal sealed record RulesVersion(string Branch, string Sha, IReadOnlyList<string> Tightened)
{
    /// <summary>The tightened rules as stored with the deployment ("approval.required, wait-timer"), or null when none.</summary>
    public string? TightenedText => Tightened.Count > 0 ? string.Join(", ", Tightened) : null;

    /// <summary>"the rules of main at 1a2b3c4 (tightened by the run's commit: approval.required)".</summary>
    public override string ToString() =>
        $"the rules of {Branch} at {Sha[..Math.Min(7, Sha.Length)]}{(TightenedText is { } tightened ? $" (tightened by the run's commit: {tightened})" : "")}";
}
