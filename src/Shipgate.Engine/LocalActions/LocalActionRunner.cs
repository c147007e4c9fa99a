using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.LocalActions;

/// <summary>Runs a local action (<c>uses: ./path</c> with an action.yml): composite or node.</summary>
internal static class LocalActionRunner
{
    public static Task<StepBodyResult> RunAsync(
        StepDefinition step,
        ActionReference reference,
        IReadOnlyDictionary<string, string> with,
        StepScope scope,
        StepOutputSink sink,
        StepInvocation invocation,
        IReadOnlyDictionary<string, string> stepEnv,
        CancellationToken cancellationToken)
    {
        _ = (step, reference, with, scope, sink, invocation, stepEnv, cancellationToken);
        return Task.FromResult(StepBodyResult.Failure("local actions are not supported yet"));
    }
}
