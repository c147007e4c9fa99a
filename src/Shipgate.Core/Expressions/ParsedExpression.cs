namespace Shipgate.Core.Expressions;

/// <summary>A parsed expression, safe to cache and to evaluate concurrently.</summary>
public abstract class ParsedExpression
{
    /// <summary>The text the expression was parsed from.</summary>
    public abstract string Text { get; }

    /// <summary>True when the expression calls success(), failure(), cancelled() or always().</summary>
    public abstract bool UsesStatusFunction { get; }

    /// <summary>Evaluates the expression. Throws <see cref="ExpressionException"/> on an evaluation error.</summary>
    public abstract ExpressionValue Evaluate(EvaluationContext context);
}
