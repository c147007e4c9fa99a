using System.Text;

namespace Shipgate.Engine.Commands;

/// <summary>
/// Parses workflow commands exactly as GitHub's runner does: the current form
/// <c>::name key=value,key=value::data</c> at the start of a line (after leading whitespace), and the legacy
/// form <c>##[name key=value;key=value]data</c> anywhere in a line. A line whose command name is not registered
/// is no command: it is printed as it is.
/// </summary>
internal static class WorkflowCommandParser
{
    private const string Separator = "::";
    private const string LegacyPrefix = "##[";

    /// <summary>Tries the current form, then the legacy one.</summary>
    public static bool TryParse(string line, Func<string, bool> isRegistered, out WorkflowCommand? command) =>
        TryParseCurrent(line, isRegistered, out command) || TryParseLegacy(line, isRegistered, out command);

    private static bool TryParseCurrent(string line, Func<string, bool> isRegistered, out WorkflowCommand? command)
    {
        command = null;
        var message = line.AsSpan().TrimStart();
        if (!message.StartsWith(Separator, StringComparison.Ordinal))
        {
            return false;
        }

        var end = message[Separator.Length..].IndexOf(Separator, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var info = message.Slice(Separator.Length, end);
        var space = info.IndexOf(' ');
        var name = (space < 0 ? info : info[..space]).ToString();
        if (!isRegistered(name))
        {
            return false;
        }

        var properties = space > 0
            ? ParseProperties(info[(space + 1)..].Trim().ToString(), ',', value => Unescape(value, property: true))
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var data = message[(Separator.Length + end + Separator.Length)..].ToString();
        command = new WorkflowCommand(name, properties, Unescape(data, property: false));
        return true;
    }

    private static bool TryParseLegacy(string line, Func<string, bool> isRegistered, out WorkflowCommand? command)
    {
        command = null;
        var prefix = line.IndexOf(LegacyPrefix, StringComparison.Ordinal);
        if (prefix < 0)
        {
            return false;
        }

        var close = line.IndexOf(']', prefix);
        if (close < 0)
        {
            return false;
        }

        var info = line.AsSpan()[(prefix + LegacyPrefix.Length)..close];
        var space = info.IndexOf(' ');
        var name = (space < 0 ? info : info[..space]).ToString();
        if (!isRegistered(name))
        {
            return false;
        }

        var properties = space > 0
            ? ParseProperties(info[(space + 1)..].ToString(), ';', UnescapeLegacy)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        command = new WorkflowCommand(name, properties, UnescapeLegacy(line[(close + 1)..]));
        return true;
    }

    /// <summary><c>key=value</c> pairs: empty entries, entries without '=' and empty keys or values are skipped.</summary>
    private static Dictionary<string, string> ParseProperties(string text, char separator, Func<string, string> unescape)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in text.Split(separator, StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = property.Split('=', 2, StringSplitOptions.RemoveEmptyEntries);
            if (pair.Length == 2)
            {
                properties[pair[0]] = unescape(pair[1]);
            }
        }

        return properties;
    }

    /// <summary>
    /// GitHub's escaping: %0D, %0A and %25 in data, and also %3A and %2C in property values. The runner replaces
    /// the escapes one after the other with %25 last, which is what this single left-to-right pass gives.
    /// </summary>
    internal static string Unescape(string escaped, bool property)
    {
        var percent = escaped.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
        {
            return escaped;
        }

        var builder = new StringBuilder(escaped.Length);
        builder.Append(escaped, 0, percent);
        for (var i = percent; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c == '%' && i + 2 < escaped.Length && TryDecode(escaped.AsSpan(i + 1, 2), property, out var decoded))
            {
                builder.Append(decoded);
                i += 2;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool TryDecode(ReadOnlySpan<char> hex, bool property, out char decoded)
    {
        decoded = hex switch
        {
            "0D" => '\r',
            "0A" => '\n',
            "25" => '%',
            "3A" when property => ':',
            "2C" when property => ',',
            _ => '\0',
        };
        return decoded != '\0';
    }

    // The legacy form's escapes, replaced one after the other in this order as the runner does.
    private static string UnescapeLegacy(string escaped) => escaped.Length == 0
        ? escaped
        : escaped
            .Replace("%3B", ";", StringComparison.Ordinal)
            .Replace("%0D", "\r", StringComparison.Ordinal)
            .Replace("%0A", "\n", StringComparison.Ordinal)
            .Replace("%5D", "]", StringComparison.Ordinal)
            .Replace("%25", "%", StringComparison.Ordinal);
}
