using System.Text.Json;

namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>fromJSON(text)</c>: the value the JSON text (strict JSON) describes; not JSON is an evaluation error.</summary>
internal sealed class FromJsonNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var json = Arguments[0].Evaluate(ref state).CoerceToString();

        // The values built take about as much memory as the text they come from, and then some.
        state.Charge(4L * json.Length, Index);
        try
        {
            return ExpressionJson.FromJson(json);
        }
        catch (JsonException ex)
        {
            // JsonException's message may be a bare resource key (trimmed builds): say where instead.
            throw state.Fail($"Error parsing fromJson: invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}", Index);
        }
    }
}
