using System.Diagnostics.CodeAnalysis;

namespace Shipgate.Core.Expressions;

/// <summary>A parsed expression, safe to cache and to evaluate concurrently.</summary>
public abstract class ParsedExpression
{
    /// <summary>The text the expression was parsed from.</summary>
    public abstract string Text { get; }

    /// <summary>
    /// True when the expression calls success(), failure(), cancelled() or always(). For a condition
    /// (<see cref="ExpressionParser.TryParseCondition"/>), whether the text itself does: the implicit success() does not count.
    /// </summary>
    public abstract bool UsesStatusFunction { get; }

    /// <summary>Evaluates the expression. Throws <see cref="ExpressionException"/> on an evaluation error.</summary>
    public abstract ExpressionValue Evaluate(EvaluationContext context);

    /// <summary>Evaluates the expression; an evaluation error is returned rather than thrown.</summary>
    public bool TryEvaluate(EvaluationContext context, [NotNullWhen(true)] out ExpressionValue? value, [NotNullWhen(false)] out ExpressionError? error)
    {
        try
        {
            value = Evaluate(context);
            error = null;
            return true;
        }
        catch (ExpressionException ex)
        {
            value = null;
            error = ex.Error;
            return false;
        }
    }
}
