using System.Text;
using System.Text.Json;

namespace Shipgate.Engine.Masking;

/// <summary>
/// The forms a secret takes once a tool has encoded it, each masked like the secret itself. These are the value
/// encoders of GitHub's runner (base64 at the three byte alignments, command-line, expression-string, JSON, URI
/// and XML escaping, quotes trimmed, PowerShell's split at '&amp;'), plus the common JSON dialects.
/// </summary>
internal static class SecretEncoders
{
    /// <summary>Every encoded form of <paramref name="value"/>; may repeat the value or yield empty strings.</summary>
    public static IEnumerable<string> Encode(string value)
    {
        foreach (var base64 in Base64Forms(value))
        {
            yield return base64;
        }

        yield return value.Replace("\"", "\\\"", StringComparison.Ordinal);
        yield return value.Replace("'", "''", StringComparison.Ordinal);
        yield return JsonEscape(value, asciiOnly: false);
        yield return JsonEscape(value, asciiOnly: true);
        yield return JsonEscape(value, asciiOnly: false).Replace("/", "\\/", StringComparison.Ordinal);
        // System.Text.Json's default encoder (what .NET tools print): non-ASCII and HTML-sensitive characters as \uXXXX.
        yield return JsonEncodedText.Encode(value).Value;
        yield return Uri.EscapeDataString(value);
        yield return XmlEscape(value);
        yield return TrimDoubleQuotes(value);
        yield return PowerShellBeforeAmpersand(value);
        yield return PowerShellAfterAmpersand(value);
    }

    /// <summary>
    /// The secret's UTF-8 bytes base64-encoded as they appear inside a longer base64 text (<c>base64(user:password)</c>):
    /// skipping 0, 1 or 2 leading bytes puts the rest on a 3-byte boundary; the last digit, which mixes in bits of
    /// whatever follows, is left out (GitHub only drops the padding, which misses the secret when more follows).
    /// Both the standard and the URL-safe alphabets.
    /// </summary>
    private static IEnumerable<string> Base64Forms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        for (var offset = 0; offset <= 2 && offset < bytes.Length; offset++)
        {
            var count = bytes.Length - offset;
            var encoded = Convert.ToBase64String(bytes, offset, count);
            var exact = (count / 3 * 4) + (count % 3);
            var standard = encoded[..exact];
            yield return standard;
            yield return standard.Replace('+', '-').Replace('/', '_');
        }
    }

    /// <summary>The value as it appears between the quotes of a JSON string (JSON.stringify, jq, Python with ensure_ascii).</summary>
    internal static string JsonEscape(string value, bool asciiOnly)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                > '\x7f' when asciiOnly => $"\\u{(int)c:x4}",
                _ => null,
            };
            if (escape is null)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(value, 0, i, value.Length + 16);
            builder.Append(escape);
        }

        return builder?.ToString() ?? value;
    }

    private static string XmlEscape(string value)
    {
        if (value.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return value;
        }

        return value
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&apos;", StringComparison.Ordinal);
    }

    private static string TrimDoubleQuotes(string value) =>
        value.Length > 8 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : string.Empty;

    // PowerShell reports a failed command split at '&' (and colours the letter after "&+"): GitHub masks the
    // sections of at least 6 characters before and after the split.
    private static string PowerShellBeforeAmpersand(string value)
    {
        if (!value.Contains('&', StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var plus = value.IndexOf("&+", StringComparison.Ordinal);
        var section = plus >= 0 ? value[..(plus + 2)] : value[..(value.LastIndexOf('&') + 1)];
        return section.Length >= 6 ? section : string.Empty;
    }

    private static string PowerShellAfterAmpersand(string value)
    {
        if (!value.Contains('&', StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var plus = value.IndexOf("&+", StringComparison.Ordinal);
        var section = plus >= 0
            ? (plus + 3 <= value.Length ? value[(plus + 3)..] : string.Empty)
            : value[(value.LastIndexOf('&') + 1)..];
        return section.Length >= 6 ? section : string.Empty;
    }
}
