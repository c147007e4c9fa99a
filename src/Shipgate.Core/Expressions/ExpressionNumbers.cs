using System.Globalization;

namespace Shipgate.Core.Expressions;

/// <summary>Number parsing and formatting of the expression language.</summary>
internal static class ExpressionNumbers
{
    /// <summary>
    /// Converts a string to a number the way GitHub's runner does (after JavaScript's Number()):
    /// surrounding whitespace is ignored, the empty string is 0, and the forms are decimal with an optional
    /// sign, fraction and exponent, <c>0x</c> hexadecimal, <c>0o</c> octal, <c>Infinity</c> and <c>-Infinity</c>.
    /// Anything else is NaN.
    /// </summary>
    public static double Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return 0;
        }

        if (text.Length > 2 && text[0] == '0' && text[1] == 'x')
        {
            return ParseDigits(text[2..], 16);
        }

        if (text.Length > 2 && text[0] == '0' && text[1] == 'o')
        {
            return ParseDigits(text[2..], 8);
        }

        var unsigned = text[0] is '+' or '-' ? text[1..] : text;
        if (unsigned.SequenceEqual("Infinity"))
        {
            return text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (!IsDecimal(unsigned))
        {
            return double.NaN;
        }

        // The grammar is checked above; double.Parse gives the correctly rounded value (and ±Infinity on overflow).
        return double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Formats a number as the language converts it to a string: up to 15 significant digits ("G15", as GitHub's
    /// runner), no trailing zeros (1.0 is "1"), -0 is "0", and NaN, Infinity, -Infinity by name. Very large and
    /// very small magnitudes use an exponent ("1E+21", "1E-05").
    /// </summary>
    public static string Format(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        return value.ToString("G15", CultureInfo.InvariantCulture);
    }

    /// <summary>The array index a value designates: its number, floored, when finite and not negative; else -1.</summary>
    public static int ToIndex(double number)
    {
        if (double.IsNaN(number) || number < 0 || number >= int.MaxValue)
        {
            return -1;
        }

        return (int)Math.Floor(number);
    }

    private static double ParseDigits(ReadOnlySpan<char> digits, int radix)
    {
        double value = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return double.NaN;
            }

            value = (value * radix) + digit;
        }

        return value;
    }

    // digits [ "." digits? ] [ exponent ] | "." digits [ exponent ], where exponent = (e|E) [+|-] digits.
    // YAML 1.2's core schema reads floats with the same grammar (ScalarToken).
    internal static bool IsDecimal(ReadOnlySpan<char> text)
    {
        var i = 0;
        var integerDigits = CountDigits(text, ref i);
        var fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fractionDigits = CountDigits(text, ref i);
        }

        if (integerDigits == 0 && fractionDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (CountDigits(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int CountDigits(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
