using System.Globalization;
using System.Text;

namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// <c>format(string, arg0, arg1, ...)</c>: <c>{N}</c> is replaced by argument N as a string, <c>{{</c> and
/// <c>}}</c> are literal braces. As GitHub's runner: the whole format string is checked first (any other brace
/// makes it invalid; <c>{N}</c> past the last argument is an error), then arguments are evaluated, each once and
/// only when used. <c>{N:specifiers}</c> parses, but specifiers are an error for every kind of value.
/// </summary>
internal sealed class FormatNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    /// <summary>Most arguments a format string may reference (GitHub reads the index as a byte).</summary>
    private const int MaxArgumentIndex = byte.MaxValue;

    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var format = Arguments[0].Evaluate(ref state).CoerceToString();
        Scan(format, null, ref state, null);

        var result = new StringBuilder(format.Length);
        Scan(format, result, ref state, new ExpressionValue?[Arguments.Length - 1]);
        var text = result.ToString();
        state.ChargeString(text, Index);
        return new StringValue(text);
    }

    // Without a builder, only checks the format string; with one, also evaluates the arguments and builds.
    private void Scan(string format, StringBuilder? result, ref EvaluationState state, ExpressionValue?[]? values)
    {
        var i = 0;
        while (i < format.Length)
        {
            var left = format.IndexOf('{', i);
            var right = format.IndexOf('}', i);
            if (left >= 0 && (right < 0 || right > left))
            {
                if (CharAt(format, left + 1) == '{')
                {
                    result?.Append(format, i, left + 1 - i);
                    i = left + 2;
                }
                else if (right > left + 1 && TryReadPlaceholder(format, left + 1, out var argument, out var specifiers, out right))
                {
                    if (argument >= Arguments.Length - 1)
                    {
                        throw state.Fail($"The following format string references more arguments than were supplied: {format}", Index);
                    }

                    if (result is not null)
                    {
                        var value = values![argument] ??= Arguments[argument + 1].Evaluate(ref state);
                        if (specifiers.Length > 0)
                        {
                            throw state.Fail($"The format specifiers '{specifiers}' are not valid for objects of type '{value.Kind}'", Index);
                        }

                        result.Append(format, i, left - i).Append(value.CoerceToString());
                    }

                    i = right + 1;
                }
                else
                {
                    throw Invalid(ref state, format);
                }
            }
            else if (right >= 0)
            {
                if (CharAt(format, right + 1) != '}')
                {
                    throw Invalid(ref state, format);
                }

                result?.Append(format, i, right + 1 - i);
                i = right + 2;
            }
            else
            {
                result?.Append(format, i, format.Length - i);
                break;
            }

            if (result is not null)
            {
                CheckRoom(ref state, result.Length, Index);
            }
        }
    }

    // Digits, then "}" or ":specifiers}" (where "}}" is a brace), from just after a "{".
    private static bool TryReadPlaceholder(string format, int start, out int argument, out string specifiers, out int right)
    {
        argument = 0;
        specifiers = string.Empty;
        right = -1;
        var end = start;
        while (char.IsAsciiDigit(CharAt(format, end)))
        {
            end++;
        }

        // Up to 9 digits fit an int; leading zeros are allowed ({007}).
        if (end == start
            || end - start > 9
            || !int.TryParse(format.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out argument)
            || argument > MaxArgumentIndex)
        {
            return false;
        }

        if (CharAt(format, end) == '}')
        {
            right = end;
            return true;
        }

        if (CharAt(format, end) != ':')
        {
            return false;
        }

        var builder = new StringBuilder();
        for (var i = end + 1; i < format.Length; i++)
        {
            if (format[i] != '}')
            {
                builder.Append(format[i]);
            }
            else if (CharAt(format, i + 1) == '}')
            {
                builder.Append('}');
                i++;
            }
            else
            {
                specifiers = builder.ToString();
                right = i;
                return true;
            }
        }

        return false;
    }

    private static char CharAt(string text, int index) => index < text.Length ? text[index] : '\0';

    private ExpressionException Invalid(ref EvaluationState state, string format)
        => state.Fail($"The following format string is invalid: {format}", Index);
}
