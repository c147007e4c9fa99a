using System.Globalization;
using System.Text.RegularExpressions;
using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] SmokeKeys = ["name", "path", "method", "status", "body-contains", "body-matches", "max-latency", "host"];
    private static readonly string[] SmokeMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>The most checks of one smoke list; each runs before traffic moves, after, and through the watch.</summary>
    internal const int MaxSmokeChecks = 50;

    /// <summary>How long a smoke check's regular expression may take on one body.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads <paramref name="root"/> as a list of smoke checks (the <c>checks</c> input of shipgate/verify).</summary>
    public static List<SmokeCheck> ParseSmoke(TemplateToken root, string what, List<Diagnostic> diagnostics) =>
        new ShipgateConfigParser(what, diagnostics).ReadSmoke(root, what);

    private List<SmokeCheck> ReadSmoke(TemplateToken token, string what)
    {
        var checks = new List<SmokeCheck>();
        if (token is not SequenceToken sequence)
        {
            Error(token.Location, $"'{what}' must be a list of checks, each with at least 'path', not {token.KindName}");
            return checks;
        }

        if (sequence.Items.Count > MaxSmokeChecks)
        {
            Error(sequence.Location, $"'{what}' has {sequence.Items.Count} checks; at most {MaxSmokeChecks} are allowed");
            return checks;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (ReadSmokeCheck(sequence.Items[i], $"{what}[{i}]") is { } check)
            {
                checks.Add(check);
            }
        }

        return checks;
    }

    private SmokeCheck? ReadSmokeCheck(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var valid = true;
        string? name = null, path = null, bodyContains = null, bodyMatches = null, host = null;
        var method = "GET";
        var status = 200;
        TimeSpan? maxLatency = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "name":
                    name = ReadString(value, $"{what}.name")?.Value;
                    break;
                case "path":
                    if (ReadString(value, $"{what}.path") is { } p)
                    {
                        if (p.Value.StartsWith('/') && !p.Value.StartsWith("//", StringComparison.Ordinal) && !p.Value.Any(char.IsWhiteSpace))
                        {
                            path = p.Value;
                        }
                        else
                        {
                            Error(p.Location, $"'{what}.path' must be a path starting with '/', such as /health, not '{p.Value}'");
                        }
                    }

                    break;
                case "method":
                    if (ReadString(value, $"{what}.method") is { } m)
                    {
                        method = m.Value.ToUpperInvariant();
                        if (!SmokeMethods.Contains(method, StringComparer.Ordinal))
                        {
                            Error(m.Location, $"'{what}.method' must be {FormatChoices(SmokeMethods)}, not '{m.Value}'");
                            valid = false;
                        }
                    }

                    break;
                case "status":
                    status = ReadInteger(value, $"{what}.status", 100, 599) ?? status;
                    break;
                case "body-contains":
                    bodyContains = ReadString(value, $"{what}.body-contains")?.Value;
                    break;
                case "body-matches":
                    if (ReadString(value, $"{what}.body-matches") is { } pattern)
                    {
                        try
                        {
                            _ = new Regex(pattern.Value, RegexOptions.CultureInvariant, RegexTimeout);
                            bodyMatches = pattern.Value;
                        }
                        catch (ArgumentException ex)
                        {
                            Error(pattern.Location, $"'{what}.body-matches' is not a valid regular expression: {ex.Message}");
                            valid = false;
                        }
                    }

                    break;
                case "max-latency":
                    maxLatency = ReadShortDuration(value, $"{what}.max-latency", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
                    break;
                case "host":
                    if (ReadString(value, $"{what}.host") is { } h)
                    {
                        if (IsHostName(h.Value.ToLowerInvariant()))
                        {
                            host = h.Value.ToLowerInvariant();
                        }
                        else
                        {
                            Error(h.Location, $"'{what}.host' must be a host name without scheme or port, not '{h.Value}'");
                        }
                    }

                    break;
                case "run":
                    Error(key.Location, $"'{what}.run' is not supported: smoke checks are HTTP requests; run a command as a step of the job, in its sandbox");
                    valid = false;
                    break;
                default:
                    UnknownKey(key, SmokeKeys, what);
                    valid = false;
                    break;
            }
        }

        if (bodyContains is not null && bodyMatches is not null)
        {
            Error(map.Location, $"'{what}' has both 'body-contains' and 'body-matches'; use one");
            valid = false;
        }

        if (path is null)
        {
            if (map["path"] is null)
            {
                Error(map.Location, $"'{what}' needs 'path': the path to request, such as /health");
            }

            return null;
        }

        return valid
            ? new SmokeCheck
            {
                Name = name,
                Path = path,
                Method = method,
                Status = status,
                BodyContains = bodyContains,
                BodyMatches = bodyMatches,
                MaxLatency = maxLatency,
                Host = host,
                Location = map.Location,
            }
            : null;
    }

    /// <summary>A duration that may also be written in milliseconds (<c>500ms</c>), from <paramref name="min"/> to <paramref name="max"/>.</summary>
    private TimeSpan? ReadShortDuration(TemplateToken token, string what, TimeSpan min, TimeSpan max)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        var text = scalar.Value;
        bool parsed;
        TimeSpan value;
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            var ms = 0;
            parsed = text.Length is > 2 and <= 11 && int.TryParse(text.AsSpan(0, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out ms);
            value = parsed ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
        }
        else
        {
            parsed = DurationText.TryParse(text, out value);
        }

        if (!parsed || value < min || value > max)
        {
            Error(scalar.Location, $"'{what}' must be a duration from {DurationText.FormatPrecise(min)} to {DurationText.FormatPrecise(max)} such as 500ms, 2s or 1m, not '{text}'");
            return null;
        }

        return value;
    }

}
