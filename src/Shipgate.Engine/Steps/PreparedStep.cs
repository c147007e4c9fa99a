using Shipgate.Core.Expressions;

namespace Shipgate.Engine.Steps;

/// <summary>
/// A step's evaluated environment: the <c>env</c> context (scope env plus the step's own), the step-level
/// env alone (handed down to composite steps), its <c>github</c> context, and the contexts of its other keys.
/// </summary>
internal sealed record PreparedStep(Dictionary<string, string> Env, Dictionary<string, string> StepEnv, ObjectValue Github, EvaluationContext Context);
