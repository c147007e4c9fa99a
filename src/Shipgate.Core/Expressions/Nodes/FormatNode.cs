using System.Globalization;
using System.Text;

namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// <c>format(string, arg0, arg1, ...)</c>: <c>{N}</c> is replaced by argument N as a string, <c>{{</c> and
/// <c>}}</c> are literal braces. Any other brace makes the format string invalid, and <c>{N}</c> past the last
/// argument is an error. An argument is evaluated only when the format string uses it.
/// </summary>
internal sealed class FormatNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var format = Arguments[0].Evaluate(ref state).CoerceToString();
        var supplied = Arguments.Length - 1;
        string?[]? evaluated = null;
        var result = new StringBuilder(format.Length);
        var i = 0;
        while (i < format.Length)
        {
            var left = format.IndexOf('{', i);
            var right = format.IndexOf('}', i);
            if (left >= 0 && (right < 0 || right > left))
            {
                if (left + 1 < format.Length && format[left + 1] == '{')
                {
                    result.Append(format, i, left + 1 - i);
                    i = left + 2;
                }
                else if (right > left + 1 && TryReadIndex(format, left + 1, right, out var argument))
                {
                    if (argument >= supplied)
                    {
                        throw state.Fail($"The following format string references more arguments than were supplied: {format}", Index);
                    }

                    evaluated ??= new string?[supplied];
                    evaluated[argument] ??= Arguments[argument + 1].Evaluate(ref state).CoerceToString();
                    result.Append(format, i, left - i).Append(evaluated[argument]);
                    i = right + 1;
                }
                else
                {
                    throw Invalid(ref state, format);
                }
            }
            else if (right >= 0)
            {
                if (right + 1 >= format.Length || format[right + 1] != '}')
                {
                    throw Invalid(ref state, format);
                }

                result.Append(format, i, right + 1 - i);
                i = right + 2;
            }
            else
            {
                result.Append(format, i, format.Length - i);
                break;
            }

            CheckRoom(ref state, result.Length, Index);
        }

        var text = result.ToString();
        state.ChargeString(text, Index);
        return new StringValue(text);
    }

    // {N}: only digits between the braces.
    private static bool TryReadIndex(string format, int start, int end, out int argument)
    {
        argument = 0;
        var digits = format.AsSpan(start, end - start);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out argument);
    }

    private ExpressionException Invalid(ref EvaluationState state, string format)
        => state.Fail($"The following format string is invalid: {format}", Index);
}
