using System.Text;

namespace Shipgate.Cli.Run;

/// <summary>
/// Reads dotenv files (<c>--secret-file</c>): <c>KEY=value</c> lines, <c>#</c> comments, an optional
/// <c>export </c> prefix, single quotes (literal) and double quotes (with \n, \t, \" and \\ escapes),
/// both of which may span lines. A small parser of our own: the dotenv packages on NuGet pull in
/// configuration stacks we do not need.
/// </summary>
internal static class DotEnvParser
{
    /// <summary>Parses <paramref name="text"/>; on the first error returns false with "file:line:col: message".</summary>
    public static bool TryParse(string text, string fileName, out List<KeyValuePair<string, string>> pairs, out string? error)
    {
        pairs = [];
        error = null;
        var i = 0;
        var line = 1;
        var lineStart = 0;
        while (i < text.Length)
        {
            // Skip blank space and comments between entries.
            var c = text[i];
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (string.CompareOrdinal(text, i, "export ", 0, 7) == 0)
            {
                i += 7;
                while (i < text.Length && text[i] is ' ' or '\t')
                {
                    i++;
                }
            }

            var keyStart = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var key = text[keyStart..i];
            if (key.Length == 0 || char.IsAsciiDigit(key[0]))
            {
                error = $"{fileName}:{line}:{keyStart - lineStart + 1}: expected a name (letters, digits and _) followed by '='";
                return false;
            }

            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                error = $"{fileName}:{line}:{i - lineStart + 1}: expected '=' after '{key}'";
                return false;
            }

            i++;
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            string value;
            if (i < text.Length && text[i] is '"' or '\'')
            {
                var quote = text[i];
                var openLine = line;
                var openColumn = i - lineStart + 1;
                i++;
                var builder = new StringBuilder();
                var closed = false;
                while (i < text.Length)
                {
                    var ch = text[i++];
                    if (ch == quote)
                    {
                        closed = true;
                        break;
                    }

                    if (ch == '\n')
                    {
                        line++;
                        lineStart = i;
                    }

                    if (quote == '"' && ch == '\\' && i < text.Length)
                    {
                        var next = text[i++];
                        builder.Append(next switch
                        {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            _ => next,
                        });
                        continue;
                    }

                    builder.Append(ch);
                }

                if (!closed)
                {
                    error = $"{fileName}:{openLine}:{openColumn}: the value of '{key}' opens a {(quote == '"' ? "double" : "single")} quote that is never closed";
                    return false;
                }

                value = builder.ToString();

                // Only a comment may follow a quoted value.
                while (i < text.Length && text[i] is ' ' or '\t' or '\r')
                {
                    i++;
                }

                if (i < text.Length && text[i] != '\n' && text[i] != '#')
                {
                    error = $"{fileName}:{line}:{i - lineStart + 1}: unexpected text after the quoted value of '{key}'";
                    return false;
                }
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != '\n' && !(text[i] == '#' && i > valueStart && text[i - 1] is ' ' or '\t'))
                {
                    i++;
                }

                value = text[valueStart..i].TrimEnd();
            }

            while (i < text.Length && text[i] != '\n')
            {
                i++;
            }

            pairs.Add(new KeyValuePair<string, string>(key, value));
        }

        return true;
    }
}
