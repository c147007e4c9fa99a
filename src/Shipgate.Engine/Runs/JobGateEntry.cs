using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Asks the run's <see cref="IJobGate"/> about one job instance and applies its answer: on pass, the
/// job's <c>secrets</c> and <c>vars</c> become the run's with the environment's over them, and the new
/// secrets are masked from then on; on fail, the reason (masked) is the job's.
/// </summary>
internal static class JobGateEntry
{
    public static async Task<GatedJob> EnterAsync(RunContext run, IJobGate gate, JobGateRequest request, WorkflowScope scope, CancellationToken cancellationToken)
    {
        JobGateDecision decision;
        try
        {
            decision = await gate.EnterAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A gate that cannot decide refuses: the job does not run unguarded.
            return new GatedJob(scope, run.Variables, run.Masker.Mask($"The gates of environment {request.Environment} could not decide: {ex.Message}"));
        }

        if (!decision.Passed)
        {
            return new GatedJob(scope, run.Variables, run.Masker.Mask(decision.Reason ?? $"Environment {request.Environment} refused the job."));
        }

        foreach (var secret in decision.Secrets.Values)
        {
            run.Masker.AddSecret(secret);
        }

        return new GatedJob(scope.WithSecrets(Merge(scope.Secrets, decision.Secrets)), Merge(run.Variables, decision.Variables), null);
    }

    /// <summary>What the gate is asked about one job instance.</summary>
    public static JobGateRequest Request(RunContext run, JobDefinition job, JobLeg leg, string environment) => new()
    {
        RunId = run.RunId,
        JobKey = leg.Key,
        JobId = job.Id,
        Name = leg.Name,
        Environment = environment,
        MatrixJson = leg.MatrixJson,
        LegCount = leg.Strategy.TryGetValue("job-total", out var total) ? Math.Max(1, (int)total.CoerceToNumber()) : 1,
    };

    private static ObjectValue Merge(ObjectValue values, IReadOnlyDictionary<string, string> over)
    {
        if (over.Count == 0)
        {
            return values;
        }

        var merged = new ObjectValue();
        foreach (var pair in values.Pairs)
        {
            merged.Set(pair.Key, pair.Value);
        }

        foreach (var pair in over)
        {
            merged.Set(pair.Key, ExpressionValue.FromString(pair.Value));
        }

        return merged;
    }
}
