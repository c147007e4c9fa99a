using System.Globalization;
using System.Text.Json;

namespace Shipgate.Storage.Audit;

/// <summary>
/// A record, kept outside the database, that the audit log held entries up to <see cref="Sequence"/>, the
/// last with <see cref="Hash"/>, at <see cref="At"/>; <see cref="Mac"/> authenticates it with the audit key.
/// Written as one line: <c>SEQUENCE HASH MAC AT</c> (<c>DATA/audit.checkpoint</c>), or in an export's last
/// line as <c>{"checkpoint":"SEQUENCE HASH MAC AT"}</c>.
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, string Mac, string At)
{
    /// <summary>The JSON property of an export's trailer line.</summary>
    public const string TrailerProperty = "checkpoint";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sequence} {Hash} {Mac} {At}");

    /// <summary>
    /// The checkpoints in a checkpoint file or an export (its trailer lines; entry lines are skipped). Throws
    /// <see cref="StoreException"/> naming the first line that is neither.
    /// </summary>
    public static IReadOnlyList<AuditCheckpoint> ParseAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var checkpoints = new List<AuditCheckpoint>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('{'))
            {
                if (Trailer(line) is { } trailer)
                {
                    checkpoints.Add(Parse(trailer) ?? throw NotACheckpoint(number));
                }

                continue;
            }

            checkpoints.Add(Parse(line) ?? throw NotACheckpoint(number));
        }

        return checkpoints;
    }

    /// <summary>One <c>SEQUENCE HASH MAC AT</c> line, or null when it is not one.</summary>
    public static AuditCheckpoint? Parse(string line)
    {
        var parts = line.Trim().Split(' ');
        return parts.Length == 4 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0
            && IsHex(parts[1]) && IsHex(parts[2])
            ? new AuditCheckpoint(sequence, parts[1], parts[2], parts[3])
            : null;
    }

    private static string? Trailer(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(TrailerProperty, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsHex(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    private static StoreException NotACheckpoint(int line) =>
        new($"Line {line} is not an audit checkpoint (SEQUENCE HASH MAC TIME) nor an export's line.");
}
