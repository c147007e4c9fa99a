using Shipgate.Core.Workflows;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Runs;

/// <summary>
/// An action's post step, registered when its main step ran; the job runs them after its steps in
/// reverse order, each when its condition (post-if, default always()) holds.
/// </summary>
internal sealed record PostStep(string Name, ScalarToken Condition, StepScope Scope, Func<StepOutputSink, CancellationToken, Task<StepBodyResult>> RunAsync);
