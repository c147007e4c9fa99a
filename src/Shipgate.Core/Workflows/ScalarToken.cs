using System.Globalization;
using Shipgate.Core.Diagnostics;
using Shipgate.Core.Expressions;
using Shipgate.Core.Yaml;

namespace Shipgate.Core.Workflows;

/// <summary>
/// A YAML scalar. <see cref="IsPlain"/> is true for an unquoted scalar, whose text may stand for
/// a boolean, a number or null (YAML 1.2 core schema: true/false, numbers, null and ~).
/// </summary>
public sealed record ScalarToken(string Value, bool IsPlain, SourceLocation Location) : TemplateToken(Location)
{
    /// <summary>True when the scalar contains <c>${{</c>.</summary>
    public bool HasExpression => Value.Contains("${{", StringComparison.Ordinal);

    /// <summary>True for a plain scalar that YAML reads as null: empty, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "null" : "a string";

    /// <summary>Where the scalar came from in its file, so that offsets in the value map to lines and columns.</summary>
    internal ScalarSpan? Span { get; init; }

    /// <summary>Reads a plain <c>true</c> or <c>false</c> (any YAML 1.2 spelling).</summary>
    public bool TryGetBoolean(out bool value)
    {
        value = false;
        if (!IsPlain)
        {
            return false;
        }

        switch (Value)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads a plain YAML 1.2 core-schema number: decimal, 0x hex, 0o octal, float, .inf or .nan.</summary>
    public bool TryGetNumber(out double value)
    {
        value = 0;
        if (!IsPlain || Value.Length == 0)
        {
            return false;
        }

        var text = Value;
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            if (text.Length > 2 && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                value = hex;
                return true;
            }

            return false;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            return TryParseOctal(text.AsSpan(2), out value);
        }

        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
        }

        return IsCoreFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The position of the character at <paramref name="offset"/> (0-based) of <see cref="Value"/> in the file,
    /// through quotes, escapes, block indentation and folded lines.
    /// </summary>
    public SourceLocation GetLocation(int offset)
    {
        if (offset <= 0)
        {
            return Span?.Locate(Value, 0) ?? Location;
        }

        if (Span is not null)
        {
            return Span.Locate(Value, Math.Min(offset, Value.Length));
        }

        // A token built by hand: assume it was written plain, as it reads.
        var line = Location.Line;
        var column = Location.Column;
        for (var i = 0; i < offset && i < Value.Length; i++)
        {
            if (Value[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return Location with { Line = line, Column = column };
    }

    public override string ToString() => Value;

    private static bool TryParseOctal(ReadOnlySpan<char> digits, out double value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }

    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?: the expression language's decimal grammar after a sign.
    private static bool IsCoreFloat(string text) =>
        ExpressionNumbers.IsDecimal(text.AsSpan(text.Length > 0 && text[0] is '+' or '-' ? 1 : 0));
}
