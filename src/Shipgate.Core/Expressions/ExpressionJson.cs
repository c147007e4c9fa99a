using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shipgate.Core.Expressions;

/// <summary>Converts between JSON and expression values (contexts, fromJSON, toJSON, <c>shipgate expr</c>).</summary>
public static class ExpressionJson
{
    /// <summary>How deep <see cref="ToJson"/> descends before it gives up (a guard against cycles built through <see cref="ArrayValue.Add"/>).</summary>
    internal const int MaxWriteDepth = 1000;

    /// <summary>Converts a JSON value: numbers become doubles (beyond the double range, ±Infinity), objects keep their key order.</summary>
    public static ExpressionValue FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return ExpressionValue.True;
            case JsonValueKind.False:
                return ExpressionValue.False;
            case JsonValueKind.Number:
                return new NumberValue(element.TryGetDouble(out var number)
                    ? number
                    : double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture));
            case JsonValueKind.String:
                return new StringValue(element.GetString()!);
            case JsonValueKind.Array:
                var items = new List<ExpressionValue>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(FromJson(item));
                }

                return new ArrayValue(items, isFiltered: false);
            case JsonValueKind.Object:
                var obj = new ObjectValue();
                foreach (var property in element.EnumerateObject())
                {
                    obj.Set(property.Name, FromJson(property.Value));
                }

                return obj;
            default:
                return ExpressionValue.Null;
        }
    }

    /// <summary>Parses JSON text (strict JSON, depth up to 64). Throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static ExpressionValue FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>
    /// The JSON text of a value as toJSON() writes it (GitHub's runner): indented by two spaces, <c>"key": value</c>,
    /// empty collections as <c>[]</c> and <c>{}</c>, numbers in the language's number format (1.0 is 1, NaN and
    /// Infinity by name, as the runner writes them), strings escaped as JSON (control characters, quote, backslash,
    /// U+0085, U+2028 and U+2029). <paramref name="indented"/> false writes the same without any whitespace.
    /// </summary>
    public static string ToJson(ExpressionValue value, bool indented)
    {
        var builder = new StringBuilder();
        if (!TryAppend(builder, value, indented, long.MaxValue))
        {
            throw new InvalidOperationException($"The value is nested deeper than {MaxWriteDepth} levels (or contains itself).");
        }

        return builder.ToString();
    }

    /// <summary>
    /// Writes a value as strict JSON: numbers at full precision (integers without a fraction), NaN and ±Infinity,
    /// which JSON cannot hold, as the strings "NaN", "Infinity" and "-Infinity".
    /// </summary>
    public static void WriteTo(Utf8JsonWriter writer, ExpressionValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteTo(writer, value, 0);
    }

    /// <summary>Appends toJSON's text; false when it would pass <paramref name="maxChars"/> or <see cref="MaxWriteDepth"/>.</summary>
    internal static bool TryAppend(StringBuilder builder, ExpressionValue value, bool indented, long maxChars)
        => Append(builder, value, indented, 0, maxChars) && builder.Length <= maxChars;

    private static bool Append(StringBuilder builder, ExpressionValue value, bool indented, int level, long maxChars)
    {
        if (level > MaxWriteDepth || builder.Length > maxChars)
        {
            return false;
        }

        switch (value)
        {
            case ArrayValue array:
                if (array.Count == 0)
                {
                    builder.Append("[]");
                    return true;
                }

                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    NewLine(builder, indented, level + 1);
                    if (!Append(builder, array.Items[i], indented, level + 1, maxChars))
                    {
                        return false;
                    }
                }

                NewLine(builder, indented, level);
                builder.Append(']');
                return true;

            case ObjectValue obj:
                if (obj.Count == 0)
                {
                    builder.Append("{}");
                    return true;
                }

                builder.Append('{');
                for (var i = 0; i < obj.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    NewLine(builder, indented, level + 1);
                    var pair = obj.Pairs[i];
                    AppendString(builder, pair.Key);
                    builder.Append(indented ? ": " : ":");
                    if (!Append(builder, pair.Value, indented, level + 1, maxChars))
                    {
                        return false;
                    }
                }

                NewLine(builder, indented, level);
                builder.Append('}');
                return true;

            case StringValue text:
                AppendString(builder, text.Value);
                return true;

            case NumberValue number:
                builder.Append(ExpressionNumbers.Format(number.Value));
                return true;

            case BooleanValue boolean:
                builder.Append(boolean.Value ? "true" : "false");
                return true;

            default:
                builder.Append("null");
                return true;
        }
    }

    private static void NewLine(StringBuilder builder, bool indented, int level)
    {
        if (indented)
        {
            builder.Append('\n').Append(' ', level * 2);
        }
    }

    private static void AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' or '\u0085' or '\u2028' or '\u2029' => null,
                _ => string.Empty,
            };
            if (escape is { Length: 0 })
            {
                continue;
            }

            builder.Append(value, start, i - start);
            if (escape is null)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(escape);
            }

            start = i + 1;
        }

        builder.Append(value, start, value.Length - start).Append('"');
    }

    private static void WriteTo(Utf8JsonWriter writer, ExpressionValue value, int level)
    {
        if (level > MaxWriteDepth)
        {
            throw new InvalidOperationException($"The value is nested deeper than {MaxWriteDepth} levels (or contains itself).");
        }

        switch (value)
        {
            case ArrayValue array:
                writer.WriteStartArray();
                foreach (var item in array.Items)
                {
                    WriteTo(writer, item, level + 1);
                }

                writer.WriteEndArray();
                break;

            case ObjectValue obj:
                writer.WriteStartObject();
                foreach (var pair in obj.Pairs)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteTo(writer, pair.Value, level + 1);
                }

                writer.WriteEndObject();
                break;

            case StringValue text:
                writer.WriteStringValue(text.Value);
                break;

            case NumberValue number:
                WriteNumber(writer, number.Value);
                break;

            case BooleanValue boolean:
                writer.WriteBooleanValue(boolean.Value);
                break;

            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double number)
    {
        const double MaxExactInteger = 9007199254740992; // 2^53
        if (!double.IsFinite(number))
        {
            writer.WriteStringValue(ExpressionNumbers.Format(number));
        }
        else if (Math.Abs(number) <= MaxExactInteger && Math.Floor(number) == number)
        {
            writer.WriteNumberValue((long)number);
        }
        else
        {
            writer.WriteNumberValue(number);
        }
    }
}
