namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>hashFiles(pattern, ...)</c>: delegated to <see cref="EvaluationContext.HashFiles"/>.</summary>
internal sealed class HashFilesNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var patterns = new string[Arguments.Length];
        for (var i = 0; i < patterns.Length; i++)
        {
            patterns[i] = Arguments[i].Evaluate(ref state).CoerceToString();
        }

        var hashFiles = state.Context.HashFiles ?? throw state.Fail("The function hashFiles is not available here", Index);
        string hash;
        try
        {
            hash = hashFiles(patterns);
        }
        catch (ExpressionException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            throw state.Fail($"hashFiles('{string.Join("', '", patterns)}') failed: {ex.Message}", Index);
        }

        return new StringValue(hash);
    }
}
