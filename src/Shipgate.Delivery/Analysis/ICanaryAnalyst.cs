using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// Starts the judgement of one canary rollout. The rollout runner calls <see cref="Begin"/> once, when the canary
/// release first gets traffic, and keeps the judgement to the end of the rollout, so that the error-rate test runs
/// across every step (the split may change between looks) and the guardrails act at every look.
/// </summary>
public interface ICanaryAnalyst
{
    /// <param name="subject">The releases compared.</param>
    /// <param name="strategy">The canary's steps and guardrails.</param>
    /// <param name="commands">Runs this rollout's <c>command</c> metrics (the deploying job's); null: the analyst's own, if any.</param>
    ICanaryJudgement Begin(CanarySubject subject, CanaryStrategy strategy, IAnalysisCommandRunner? commands = null);
}
