using System.Text;

namespace Shipgate.Edge.Supervisor;

/// <summary>
/// An instance's log file: appended to by the instance itself, rotated by size with copytruncate (the instance keeps
/// its descriptor, opened with O_APPEND, and goes on writing at the new end), read by the last lines.
/// </summary>
internal static class InstanceLog
{
    /// <summary>A log is rotated when it grows past this, 10 MiB.</summary>
    public const long RotateBytes = 10L << 20;

    /// <summary>How many rotated files are kept (<c>.1</c> newest).</summary>
    public const int Keep = 3;

    /// <summary>Copies the log to <c>.1</c> (shifting the older ones) and empties it, when it is larger than <paramref name="limit"/>.</summary>
    public static void RotateIfLarge(string path, long limit = RotateBytes)
    {
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length <= limit)
            {
                return;
            }

            for (var i = Keep - 1; i >= 1; i--)
            {
                if (File.Exists($"{path}.{i}"))
                {
                    File.Move($"{path}.{i}", $"{path}.{i + 1}", overwrite: true);
                }
            }

            File.Copy(path, path + ".1", overwrite: true);
            using var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            truncate.SetLength(0);
        }
        catch (IOException)
        {
            // Rotation is retried at the next health check; a log that cannot be rotated must not stop an instance.
        }
    }

    /// <summary>The last <paramref name="count"/> lines of the log (reading at most 1 MiB from its end).</summary>
    public static List<string> Tail(string path, int count)
    {
        if (count <= 0 || !File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var start = Math.Max(0, stream.Length - (1 << 20));
        stream.Position = start;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (start > 0 && lines.Count > 0)
        {
            lines.RemoveAt(0); // cut in the middle
        }

        return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
    }

    /// <summary>The log's last non-empty line, shortened to 200 characters; null when it has none.</summary>
    public static string? LastLine(string path)
    {
        var line = Tail(path, 5).LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return line is { Length: > 200 } ? line[..200] + "…" : line;
    }
}
