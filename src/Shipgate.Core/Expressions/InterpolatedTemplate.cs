using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Shipgate.Core.Expressions;

/// <summary>
/// A parsed template: literal text and expressions, alternating (<c>_literals[0] expr0 _literals[1] expr1 ...</c>),
/// always one more literal than expressions.
/// </summary>
internal sealed class InterpolatedTemplate : ExpressionTemplate
{
    private readonly string _text;
    private readonly string[] _literals;
    private readonly CompiledExpression[] _expressions;
    private readonly StringValue _literalValue;

    private InterpolatedTemplate(string text, string[] literals, CompiledExpression[] expressions)
    {
        _text = text;
        _literals = literals;
        _expressions = expressions;
        _literalValue = new StringValue(text);
        SingleExpression = expressions.Length == 1 && literals[0].Length == 0 && literals[1].Length == 0 ? expressions[0] : null;
    }

    public override bool IsLiteral => _expressions.Length == 0;

    public override IReadOnlyList<ParsedExpression> Expressions => _expressions;

    /// <summary>The expression when the template is exactly one <c>${{ expr }}</c>.</summary>
    public CompiledExpression? SingleExpression { get; }

    public static bool TryParse(string text, ExpressionParseOptions options, [NotNullWhen(true)] out InterpolatedTemplate? template, [NotNullWhen(false)] out ExpressionError? error)
    {
        template = null;
        var literals = new List<string>();
        var expressions = new List<CompiledExpression>();
        var at = 0;
        while (true)
        {
            var start = text.IndexOf(Start, at, StringComparison.Ordinal);
            if (start < 0)
            {
                literals.Add(text[at..]);
                break;
            }

            literals.Add(text[at..start]);
            var end = FindEnd(text, start + Start.Length);
            if (end < 0)
            {
                error = ExpressionError.At(
                    ExpressionErrorKind.Parsing,
                    "The expression is not closed. An unescaped ${{ sequence was found, but the closing }} sequence was not found",
                    start,
                    text);
                return false;
            }

            var inner = text.AsSpan(start + Start.Length, end - start - Start.Length);
            var trimmed = inner.Trim();
            var innerStart = start + Start.Length + (trimmed.IsEmpty ? 0 : inner.IndexOf(trimmed));
            if (trimmed.IsEmpty)
            {
                error = ExpressionError.At(ExpressionErrorKind.Parsing, "An expression was expected", start, text);
                return false;
            }

            if (!ExpressionParser.TryCompile(trimmed.ToString(), options, out var expression, out error))
            {
                error = error with { Position = innerStart + error.Position };
                return false;
            }

            expressions.Add(expression);
            at = end + End.Length;
        }

        template = new InterpolatedTemplate(text, [.. literals], [.. expressions]);
        error = null;
        return true;
    }

    public override ExpressionValue EvaluateValue(EvaluationContext context)
    {
        if (_expressions.Length == 0)
        {
            return _literalValue;
        }

        if (SingleExpression is { } single)
        {
            return single.Evaluate(context);
        }

        return new StringValue(EvaluateString(context));
    }

    public override string EvaluateString(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_expressions.Length == 0)
        {
            return _text;
        }

        if (SingleExpression is { } single)
        {
            return single.Evaluate(context).CoerceToString();
        }

        var maxChars = context.MaxResultBytes / 2;
        var result = new StringBuilder(_text.Length);
        for (var i = 0; i < _expressions.Length; i++)
        {
            result.Append(_literals[i]).Append(_expressions[i].Evaluate(context).CoerceToString());
            if (result.Length > maxChars)
            {
                var state = new EvaluationState(context, _expressions[i].Text);
                throw state.MemoryExceeded(0);
            }
        }

        return result.Append(_literals[^1]).ToString();
    }

    /// <summary>The index of the "}}" that closes an expression starting at <paramref name="from"/>, skipping quoted strings; -1 when none.</summary>
    private static int FindEnd(string text, int from)
    {
        var inString = false;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                // '' inside a string toggles twice: still inside.
                inString = !inString;
            }
            else if (!inString && c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                return i;
            }
        }

        return -1;
    }
}
