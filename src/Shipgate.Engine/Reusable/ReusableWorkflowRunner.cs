using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Reusable;

/// <summary>Runs a job that calls a local reusable workflow (<c>uses: ./.github/workflows/x.yml</c>).</summary>
internal static class ReusableWorkflowRunner
{
    public static Task<JobRunResult> RunAsync(RunContext run, WorkflowScope scope, JobDefinition job, JobLeg leg, ObjectValue needs, CancellationToken cancellationToken)
    {
        _ = (scope, needs, cancellationToken);
        return JobRunner.NotRunAsync(run, job, leg.Key, leg.Name, Conclusion.Failure, "reusable workflows are not supported yet");
    }
}
