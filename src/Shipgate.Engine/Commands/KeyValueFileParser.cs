namespace Shipgate.Engine.Commands;

/// <summary>
/// Parses GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STATE as GitHub's runner does: empty lines are skipped;
/// <c>NAME=VALUE</c> takes the rest of the line (when <c>=</c> comes before any <c>&lt;&lt;</c>);
/// <c>NAME&lt;&lt;DELIMITER</c> takes the following lines up to one that is exactly the delimiter, joined with
/// <c>\n</c>. A value therefore cannot contain a line equal to its delimiter: that line ends it.
/// </summary>
internal static class KeyValueFileParser
{
    /// <summary>Calls <paramref name="onPair"/> for each pair in order, and returns GitHub's error for the first
    /// malformed entry (the pairs before it are kept, as on GitHub), or null.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="onPair">Receives each pair.</param>
    /// <param name="onWarning">Receives problems that GitHub lets pass (a pair without a name is skipped).</param>
    public static string? Parse(string text, Action<string, string> onPair, Action<string> onWarning)
    {
        var index = 0;
        while (ReadLine(text, ref index, out _) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (equals >= 0 && (heredoc < 0 || equals < heredoc))
            {
                var name = line[..equals];
                if (name.Length == 0)
                {
                    // GitHub's runner means to reject this but its check never fires; warn and skip.
                    onWarning($"Invalid format '{line}'. Name must not be empty");
                    continue;
                }

                onPair(name, line[(equals + 1)..]);
            }
            else if (heredoc >= 0)
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                if (name.Length == 0 || delimiter.Length == 0)
                {
                    return $"Invalid format '{line}'. Name must not be empty and delimiter must not be empty";
                }

                var start = index;
                var end = index;
                while (true)
                {
                    var valueLine = ReadLine(text, ref index, out var newlineLength);
                    if (valueLine is null)
                    {
                        return $"Invalid value. Matching delimiter not found '{delimiter}'";
                    }

                    if (string.Equals(valueLine, delimiter, StringComparison.Ordinal))
                    {
                        break;
                    }

                    if (newlineLength == 0)
                    {
                        return "Invalid value. EOF marker missing new line.";
                    }

                    end = index - newlineLength;
                }

                onPair(name, end > start ? text[start..end] : string.Empty);
            }
            else
            {
                return $"Invalid format '{line}'";
            }
        }

        return null;
    }

    private static string? ReadLine(string text, ref int index, out int newlineLength)
    {
        newlineLength = 0;
        if (index >= text.Length)
        {
            return null;
        }

        var start = index;
        var lf = text.IndexOf('\n', index);
        if (lf < 0)
        {
            index = text.Length;
            return text[start..];
        }

        index = lf + 1;
        newlineLength = 1;
        return text[start..lf];
    }
}
