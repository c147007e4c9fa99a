using System.Collections.Concurrent;
using System.Globalization;
using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Engine.Contexts;

/// <summary>
/// Evaluates the workflow's tokens at run time with the contexts of the moment, caching parses
/// (the same step's <c>if:</c> is evaluated for every matrix leg). Validation has already told the
/// user about misplaced contexts, so every context is allowed here.
/// </summary>
internal sealed class ExpressionEvaluator
{
    private static readonly ExpressionParseOptions Options = new()
    {
        AllowedContexts = ["github", "env", "vars", "secrets", "needs", "steps", "job", "jobs", "runner", "strategy", "matrix", "inputs"],
        AllowStatusFunctions = true,
        AllowHashFiles = true,
    };

    private readonly ConcurrentDictionary<string, ExpressionTemplate> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ParsedExpression> _conditions = new(StringComparer.Ordinal);

    /// <summary>Evaluates an <c>if:</c>; absent means success().</summary>
    public bool EvaluateCondition(ScalarToken? condition, EvaluationContext context)
    {
        var text = condition?.Value.Trim() ?? "";
        if (text.Length == 0)
        {
            return context.Status == JobStatus.Success;
        }

        var parsed = GetCondition(text, condition!);
        try
        {
            return parsed.Evaluate(context).IsTruthy;
        }
        catch (ExpressionException ex)
        {
            throw Fail(condition!, ex.Message);
        }
    }

    /// <summary>True when the condition calls success(), failure(), cancelled() or always().</summary>
    public bool UsesStatusFunction(ScalarToken? condition)
    {
        var text = condition?.Value.Trim() ?? "";
        return text.Length > 0 && GetCondition(text, condition!).UsesStatusFunction;
    }

    /// <summary>Interpolates a string (a literal scalar is returned as written).</summary>
    public string EvaluateString(ScalarToken token, EvaluationContext context)
    {
        if (!token.HasExpression)
        {
            return token.Value;
        }

        try
        {
            return GetTemplate(token).EvaluateString(context);
        }
        catch (ExpressionException ex)
        {
            throw Fail(token, ex.Message);
        }
    }

    /// <summary>The value of a token: a scalar typed as YAML reads it, or an expression's own value; mappings and sequences recursively.</summary>
    public ExpressionValue EvaluateValue(TemplateToken token, EvaluationContext context)
    {
        switch (token)
        {
            case ScalarToken scalar when scalar.HasExpression:
                try
                {
                    return GetTemplate(scalar).EvaluateValue(context);
                }
                catch (ExpressionException ex)
                {
                    throw Fail(scalar, ex.Message);
                }

            case ScalarToken scalar:
                return ValueConversion.FromScalar(scalar);
            case SequenceToken sequence:
                return new ArrayValue(sequence.Items.Select(item => EvaluateValue(item, context)));
            case MappingToken mapping:
                var result = new ObjectValue();
                foreach (var pair in mapping.Pairs)
                {
                    result.Set(EvaluateString(pair.Key, context), EvaluateValue(pair.Value, context));
                }

                return result;
            default:
                throw new InvalidOperationException($"Unknown token {token.GetType().Name}.");
        }
    }

    /// <summary>A boolean key such as <c>continue-on-error</c>; absent is <paramref name="defaultValue"/>.</summary>
    public bool EvaluateBoolean(ScalarToken? token, EvaluationContext context, bool defaultValue = false)
    {
        if (token is null)
        {
            return defaultValue;
        }

        var value = EvaluateValue(token, context);
        return value switch
        {
            BooleanValue b => b.Value,
            StringValue s when bool.TryParse(s.Value.Trim(), out var parsed) => parsed,
            NumberValue n => n.Value != 0,
            _ => throw Fail(token, $"expected a boolean, got '{ValueConversion.ToDisplayString(value)}'"),
        };
    }

    /// <summary>A number of minutes (<c>timeout-minutes</c>), or null when absent.</summary>
    public TimeSpan? EvaluateMinutes(ScalarToken? token, EvaluationContext context)
    {
        if (token is null)
        {
            return null;
        }

        var value = EvaluateValue(token, context);
        var minutes = value switch
        {
            NumberValue n => n.Value,
            StringValue s when double.TryParse(s.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
        if (double.IsNaN(minutes) || minutes <= 0 || minutes > 60 * 24 * 35)
        {
            throw Fail(token, $"timeout-minutes must be a positive number of minutes, got '{ValueConversion.ToDisplayString(value)}'");
        }

        return TimeSpan.FromMinutes(minutes);
    }

    private ParsedExpression GetCondition(string text, ScalarToken condition) => _conditions.GetOrAdd(text, static (t, token) =>
    {
        if (!ExpressionParser.TryParseCondition(t, Options, out var expression, out var error))
        {
            throw Fail(token, error!.Message);
        }

        return expression!;
    }, condition);

    private ExpressionTemplate GetTemplate(ScalarToken token) => _templates.GetOrAdd(token.Value, static (text, t) =>
    {
        if (!ExpressionTemplate.TryParse(text, Options, out var template, out var error))
        {
            throw Fail(t, error!.Message);
        }

        return template!;
    }, token);

    private static WorkflowEvaluationException Fail(TemplateToken token, string message) => new($"{token.Location}: {message}");
}
