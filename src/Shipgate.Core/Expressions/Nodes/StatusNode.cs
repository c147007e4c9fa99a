namespace Shipgate.Core.Expressions.Nodes;

/// <summary>success(), always(), failure(), cancelled(): read <see cref="EvaluationContext.Status"/>.</summary>
internal sealed class StatusNode(string name, StatusFunction function, int index) : FunctionNode(name, [], index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state) => function switch
    {
        StatusFunction.Always => ExpressionValue.True,
        StatusFunction.Success => ExpressionValue.FromBoolean(state.Context.Status == JobStatus.Success),
        StatusFunction.Failure => ExpressionValue.FromBoolean(state.Context.Status == JobStatus.Failure),
        _ => ExpressionValue.FromBoolean(state.Context.Status == JobStatus.Cancelled),
    };
}
