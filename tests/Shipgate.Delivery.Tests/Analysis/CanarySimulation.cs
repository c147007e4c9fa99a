using Microsoft.Extensions.Time.Testing;
using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Tests.Analysis;

/// <summary>
/// Rollouts of the real <see cref="CanaryAnalyst"/> on a <see cref="SimulatedEdge"/> and a <see cref="FakeTimeProvider"/>:
/// a look when the canary gets traffic, then one per simulated second, as the rollout runner looks. Shared with
/// bench/Shipgate.Benchmarks, which links this file.
/// </summary>
public static class CanarySimulation
{
    public static readonly CanarySubject Subject = new("production", "web", "v1", "v2");

    /// <summary><c>- weight: W</c> then <c>- analysis: { duration }</c> with the default metrics.</summary>
    public static CanaryStrategy Strategy(TimeSpan duration, CanaryGuardrails? guardrails = null) => new(
        [new CanaryWeightStep(10, At), new CanaryAnalysisStep(duration, At)],
        At)
    {
        Guardrails = guardrails ?? CanaryGuardrails.Default,
    };

    public static readonly SourceLocation At = new("shipgate.yml", 1, 1);

    /// <summary>
    /// Looks at once and then after each simulated second, during the strategy's first analysis step, until a look
    /// fails or <paramref name="looks"/> looks were taken. Returns the seconds to the failing look (null: none) and the
    /// last decision.
    /// </summary>
    public static async Task<(int? Seconds, AnalysisDecision Last)> RunAsync(
        SimulatedEdge edge, int looks, CanaryStrategy? strategy = null, CanaryAnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        strategy ??= Strategy(TimeSpan.FromSeconds(looks + 1));
        var step = strategy.Steps.OfType<CanaryAnalysisStep>().First();
        var time = new FakeTimeProvider(edge.Now);
        var judgement = new CanaryAnalyst(edge, time, options).Begin(Subject, strategy);
        AnalysisDecision decision = null!;
        for (var second = 0; second < looks; second++)
        {
            if (second > 0)
            {
                edge.Advance();
                time.Advance(TimeSpan.FromSeconds(1));
            }

            decision = await judgement.LookAsync(step, cancellationToken);
            if (decision.Outcome == AnalysisOutcome.Failed)
            {
                return (second, decision);
            }
        }

        return (null, decision);
    }
}
