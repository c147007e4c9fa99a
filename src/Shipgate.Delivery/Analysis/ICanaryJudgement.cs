using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// One canary rollout's running judgement. The runner looks about once a second between analysis steps
/// (<c>step</c> null: only the guardrails and the running error-rate and latency tests can fail it) and every
/// <see cref="CanaryAnalysisStep"/> interval during one; a judgement starts that step's window the first time it is
/// given it. <see cref="AnalysisOutcome.Passed"/> and <see cref="AnalysisOutcome.Inconclusive"/> come only at the end of
/// an analysis step's duration; <see cref="AnalysisOutcome.Failed"/> may come at any look.
/// </summary>
public interface ICanaryJudgement
{
    Task<AnalysisDecision> LookAsync(CanaryAnalysisStep? step, CancellationToken cancellationToken = default);
}
