using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>An analyst whose looks answer what the test's script says: given the step (null between analysis steps) and the look's number.</summary>
public sealed class ScriptedAnalyst(Func<CanaryAnalysisStep?, int, AnalysisOutcome> script) : ICanaryAnalyst
{
    private readonly Func<CanaryAnalysisStep?, int, AnalysisOutcome> _script = script;

    public List<CanarySubject> Begun { get; } = [];

    public int Looks { get; private set; }

    public ICanaryJudgement Begin(CanarySubject subject, CanaryStrategy strategy, IAnalysisCommandRunner? commands = null)
    {
        Begun.Add(subject);
        return new Judgement(this);
    }

    private sealed class Judgement(ScriptedAnalyst owner) : ICanaryJudgement
    {
        public Task<AnalysisDecision> LookAsync(CanaryAnalysisStep? step, CancellationToken cancellationToken = default)
        {
            var look = ++owner.Looks;
            var outcome = owner._script(step, look);
            var measurement = new AnalysisMeasurement("error-rate", outcome, "canary 5.00%, stable 0.50%", new Dictionary<string, double> { ["canary-errors"] = 5, ["threshold"] = 20 });
            return Task.FromResult(new AnalysisDecision(outcome, $"look {look}: {outcome}", [measurement], DateTimeOffset.UnixEpoch));
        }
    }
}
