using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

/// <summary>Helpers: parse and evaluate with contexts built from JSON.</summary>
internal static class Eval
{
    public static Dictionary<string, ExpressionValue> Contexts(string? json = null)
    {
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase);
        if (json is not null && ExpressionJson.FromJson(json) is ObjectValue obj)
        {
            foreach (var pair in obj.Pairs)
            {
                contexts[pair.Key] = pair.Value;
            }
        }

        return contexts;
    }

    public static ExpressionParseOptions Options(IReadOnlyDictionary<string, ExpressionValue> contexts, bool statusFunctions = true)
        => new() { AllowedContexts = [.. contexts.Keys], AllowStatusFunctions = statusFunctions };

    public static ParsedExpression Parse(string expression, IReadOnlyDictionary<string, ExpressionValue>? contexts = null)
    {
        Assert.True(ExpressionParser.TryParse(expression, Options(contexts ?? Contexts()), out var parsed, out var error), error?.Message);
        return parsed;
    }

    public static ExpressionError ParseError(string expression, ExpressionParseOptions? options = null)
    {
        Assert.False(ExpressionParser.TryParse(expression, options ?? Options(Contexts()), out _, out var error), "expected a parse error");
        return error;
    }

    public static ExpressionValue Value(string expression, string? contextsJson = null)
    {
        var contexts = Contexts(contextsJson);
        return Parse(expression, contexts).Evaluate(new EvaluationContext { Contexts = contexts });
    }

    public static ExpressionError EvaluationError(string expression, EvaluationContext context)
    {
        var parsed = Parse(expression, context.Contexts);
        Assert.False(parsed.TryEvaluate(context, out var value, out var error), $"expected an evaluation error, got {value}");
        Assert.Equal(ExpressionErrorKind.Evaluation, error.Kind);
        return error;
    }
}
