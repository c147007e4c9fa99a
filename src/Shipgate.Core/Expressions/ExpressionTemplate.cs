using System.Diagnostics.CodeAnalysis;

namespace Shipgate.Core.Expressions;

/// <summary>
/// A string with <c>${{ }}</c> interpolations, such as a <c>run:</c> script or an <c>env</c> value.
/// A template that is exactly one <c>${{ expr }}</c> evaluates to the expression's own value (keeping its kind).
/// </summary>
/// <remarks>
/// Values become text as in GitHub's runner, which turns mixed text into a format() call: null is '',
/// booleans 'true'/'false', numbers in the language's format (1.0 is '1'), and arrays and objects are the words
/// 'Array' and 'Object' (not their JSON: write <c>${{ toJSON(x) }}</c> for that). There is no escape for
/// <c>${{</c> in text; write <c>${{ '${{' }}</c>. A <c>}}</c> inside a quoted string of the expression does not
/// end it.
/// </remarks>
public abstract class ExpressionTemplate
{
    internal const string Start = "${{";

    internal const string End = "}}";

    /// <summary>Parses the template; errors carry the position within <paramref name="text"/>.</summary>
    /// <remarks>
    /// An error's message is GitHub's, with the position within the expression inside <c>${{ }}</c>;
    /// <see cref="ExpressionError.Position"/> is 1-based within the whole template.
    /// </remarks>
    public static bool TryParse(string text, ExpressionParseOptions options, [NotNullWhen(true)] out ExpressionTemplate? template, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        if (InterpolatedTemplate.TryParse(text, options, out var parsed, out error))
        {
            template = parsed;
            return true;
        }

        template = null;
        return false;
    }

    /// <summary>True when the text has no expression at all.</summary>
    public abstract bool IsLiteral { get; }

    /// <summary>The expressions inside <c>${{ }}</c>, in order (for validation, e.g. which contexts a script uses).</summary>
    public abstract IReadOnlyList<ParsedExpression> Expressions { get; }

    /// <summary>True when one of the expressions calls a status function.</summary>
    public bool UsesStatusFunction
    {
        get
        {
            foreach (var expression in Expressions)
            {
                if (expression.UsesStatusFunction)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The value: a string for mixed text; the expression's value when the template is one expression.</summary>
    public abstract ExpressionValue EvaluateValue(EvaluationContext context);

    /// <summary>The interpolated string (values converted as GitHub does: null is empty, arrays and objects as 'Array' and 'Object'...).</summary>
    public abstract string EvaluateString(EvaluationContext context);
}
