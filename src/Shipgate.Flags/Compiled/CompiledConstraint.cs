using System.Globalization;
using System.Text.RegularExpressions;

namespace Shipgate.Flags.Compiled;

/// <summary>
/// A constraint ready to evaluate: the attribute resolved to a field, the values cleaned and parsed, the regex built.
/// Semantics are unleash-client's (<c>lib/strategy/strategy.js</c>): a missing attribute fails every operator but
/// NOT_IN, and <c>inverted</c> negates the outcome, so an inverted constraint on a missing attribute holds.
/// </summary>
internal sealed class CompiledConstraint
{
    private readonly ConstraintOperator _operator;
    private readonly ContextField _field;
    private readonly string _name;
    private readonly bool _inverted;
    private readonly StringComparison _comparison;
    private readonly string[] _values;
    private readonly StringSet? _set;
    private readonly double _number;
    private readonly SemanticVersion _version;
    private readonly DateTimeOffset _date;
    private readonly Regex? _regex;

    public CompiledConstraint(
        ConstraintOperator op, string contextName, bool inverted, bool caseInsensitive, string[] values, double number = 0,
        SemanticVersion version = default, DateTimeOffset date = default, Regex? regex = null)
    {
        _operator = op;
        _field = ContextFields.Parse(contextName);
        _name = contextName;
        _inverted = inverted;
        _comparison = caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _values = values;
        _set = op is ConstraintOperator.In or ConstraintOperator.NotIn ? new StringSet(values) : null;
        _number = number;
        _version = version;
        _date = date;
        _regex = regex;
    }

    public bool Matches(FlagContext context, TimeProvider time) => Evaluate(context, time) != _inverted;

    private bool Evaluate(FlagContext context, TimeProvider time)
    {
        if (_operator is ConstraintOperator.DateAfter or ConstraintOperator.DateBefore)
        {
            // Unleash compares the context's currentTime (or now) whatever the constraint's context name says.
            var now = context.CurrentTime ?? time.GetUtcNow();
            return _operator == ConstraintOperator.DateAfter ? now > _date : now < _date;
        }

        var value = context.Resolve(_field, _name);
        switch (_operator)
        {
            case ConstraintOperator.In:
                return value is not null && _set!.Contains(value);
            case ConstraintOperator.NotIn:
                return value is null || !_set!.Contains(value);
            case ConstraintOperator.StrContains:
            case ConstraintOperator.StrStartsWith:
            case ConstraintOperator.StrEndsWith:
                return value is not null && MatchesString(value);
            case ConstraintOperator.Regex:
                return value is not null && _regex!.IsMatch(value);
            case ConstraintOperator.SemverEq:
            case ConstraintOperator.SemverGt:
            case ConstraintOperator.SemverLt:
            case ConstraintOperator.SemverGte:
            case ConstraintOperator.SemverLte:
                // unleash-client refuses a context version written with a leading "v".
                if (string.IsNullOrEmpty(value) || value[0] == 'v' || !SemanticVersion.TryParse(value, out var version))
                {
                    return false;
                }

                var order = version.CompareTo(_version);
                return _operator switch
                {
                    ConstraintOperator.SemverEq => order == 0,
                    ConstraintOperator.SemverGt => order > 0,
                    ConstraintOperator.SemverLt => order < 0,
                    ConstraintOperator.SemverGte => order >= 0,
                    _ => order <= 0,
                };
            default:
                if (!TryParseNumber(value, out var number))
                {
                    return false;
                }

                return _operator switch
                {
                    ConstraintOperator.NumEq => number == _number,
                    ConstraintOperator.NumGt => number > _number,
                    ConstraintOperator.NumGte => number >= _number,
                    ConstraintOperator.NumLt => number < _number,
                    _ => number <= _number,
                };
        }
    }

    private bool MatchesString(string value)
    {
        foreach (var candidate in _values)
        {
            var hit = _operator switch
            {
                ConstraintOperator.StrContains => value.Contains(candidate, _comparison),
                ConstraintOperator.StrStartsWith => value.StartsWith(candidate, _comparison),
                _ => value.EndsWith(candidate, _comparison),
            };
            if (hit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>JavaScript's <c>Number(text)</c> for decimal text: spaces trimmed, an empty string is 0, anything else NaN.</summary>
    internal static bool TryParseNumber(string? text, out double number)
    {
        number = 0;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        return span.IsEmpty
            || (double.TryParse(span, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out number) && double.IsFinite(number));
    }
}
