namespace Shipgate.Engine.Steps;

/// <summary>
/// Reads a file command file (<c>NAME=value</c> lines and <c>NAME&lt;&lt;DELIMITER</c> blocks).
/// Stands in until the parser of Commands/ is wired in.
/// </summary>
internal static class FileCommandsStandIn
{
    public static List<KeyValuePair<string, string>> Read(string path)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (!File.Exists(path))
        {
            return result;
        }

        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; i < lines.Length && lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }

                result.Add(new KeyValuePair<string, string>(name, string.Join('\n', value)));
            }
            else if (equals > 0)
            {
                result.Add(new KeyValuePair<string, string>(line[..equals], line[(equals + 1)..]));
            }
        }

        return result;
    }
}
