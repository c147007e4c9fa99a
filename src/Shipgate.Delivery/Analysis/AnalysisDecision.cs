namespace Shipgate.Delivery.Analysis;

/// <summary>
/// A look's verdict with the numbers behind it, recorded on the deployment and shown by <c>shipgate rollout status</c>.
/// </summary>
/// <param name="Outcome">What the look decided.</param>
/// <param name="Reason">One sentence with the deciding numbers (for a failure: which metric, its value and its threshold).</param>
/// <param name="Measurements">Every metric judged at this look.</param>
/// <param name="At">When the look was taken.</param>
public sealed record AnalysisDecision(
    AnalysisOutcome Outcome,
    string Reason,
    IReadOnlyList<AnalysisMeasurement> Measurements,
    DateTimeOffset At);
