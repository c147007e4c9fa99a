namespace Shipgate.Core.Expressions;

/// <summary>
/// A string with <c>${{ }}</c> interpolations, such as a <c>run:</c> script or an <c>env</c> value.
/// A template that is exactly one <c>${{ expr }}</c> evaluates to the expression's own value (keeping its kind).
/// </summary>
public abstract class ExpressionTemplate
{
    /// <summary>Parses the template; errors carry the position within <paramref name="text"/>.</summary>
    public static bool TryParse(string text, ExpressionParseOptions options, out ExpressionTemplate? template, out ExpressionError? error)
    {
        throw new NotImplementedException();
    }

    /// <summary>True when the text has no expression at all.</summary>
    public abstract bool IsLiteral { get; }

    /// <summary>The value: a string for mixed text; the expression's value when the template is one expression.</summary>
    public abstract ExpressionValue EvaluateValue(EvaluationContext context);

    /// <summary>The interpolated string (values converted as GitHub does: null is empty, objects as JSON...).</summary>
    public abstract string EvaluateString(EvaluationContext context);
}
