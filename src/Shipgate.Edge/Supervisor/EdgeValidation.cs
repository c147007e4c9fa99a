using System.Globalization;
using System.Text.RegularExpressions;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Comparison;

namespace Shipgate.Edge.Supervisor;

/// <summary>The admin API's rules for names and specs; each refusal is one sentence (400).</summary>
internal static partial class EdgeValidation
{
    public const int MaxInstances = 64;

    public static void Name(string value, string what)
    {
        if (!DnsLabel().IsMatch(value))
        {
            throw EdgeRefusedException.BadInput(
                $"The {what} '{Shorten(value)}' is not a DNS label (1 to 63 lower-case letters, digits and '-', not starting or ending with '-').");
        }
    }

    public static void Version(string value)
    {
        if (!VersionPattern().IsMatch(value))
        {
            throw EdgeRefusedException.BadInput(
                $"The version '{Shorten(value)}' is not valid: 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit.");
        }
    }

    public static void Service(EdgeServiceSpec spec)
    {
        foreach (var host in spec.Hosts)
        {
            if (host.Length > 253 || host.Split('.').Any(label => !DnsLabel().IsMatch(label)))
            {
                throw EdgeRefusedException.BadInput($"The host '{Shorten(host)}' is not a lower-case DNS name.");
            }
        }

        if (!VariableName().IsMatch(spec.PortEnv))
        {
            throw EdgeRefusedException.BadInput($"portEnv '{Shorten(spec.PortEnv)}' is not an environment variable name.");
        }

        if (!spec.HealthPath.StartsWith('/') || spec.HealthPath.Any(char.IsWhiteSpace) || spec.HealthPath.Length > 1024)
        {
            throw EdgeRefusedException.BadInput($"healthPath '{Shorten(spec.HealthPath)}' must be a path starting with '/' without spaces.");
        }

        Range(spec.HealthIntervalMs, 100, 3_600_000, "healthIntervalMs");
        Range(spec.HealthTimeoutMs, 100, 600_000, "healthTimeoutMs");
        Range(spec.DrainTimeoutMs, 0, 3_600_000, "drainTimeoutMs");
        Range(spec.StopGraceMs, 0, 600_000, "stopGraceMs");
    }

    public static void Release(EdgeReleaseSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Command))
        {
            throw EdgeRefusedException.BadInput("The release's command is empty; give the command that starts the service (run:).");
        }

        Range(spec.Instances, 1, MaxInstances, "instances");
        foreach (var name in spec.Environment.Keys.Where(n => !VariableName().IsMatch(n)))
        {
            throw EdgeRefusedException.BadInput($"The environment variable name '{Shorten(name)}' is not valid.");
        }
    }

    public static void Routing(EdgeRoutingSpec routing)
    {
        foreach (var (version, weight) in routing.Weights)
        {
            Range(weight, 0, 1000, $"the weight of '{Shorten(version)}'");
        }

        var sum = routing.Weights.Values.Sum(w => (long)w);
        if (sum != 1000)
        {
            throw EdgeRefusedException.BadInput($"The weights add up to {sum}, not 1000 (per mille).");
        }

        if (routing.Sticky is { } sticky && (sticky.Kind is not ("cookie" or "header") || !Token().IsMatch(sticky.Name)))
        {
            throw EdgeRefusedException.BadInput("sticky needs kind 'cookie' or 'header' and a cookie or header name.");
        }

        if (routing.Mirror is { } mirror)
        {
            Range(mirror.Permille, 0, 1000, "the mirror's permille");
            Range(mirror.MaxBodyBytes, 0, 64 << 20, "the mirror's maxBodyBytes");
            if (mirror.Compare is { } compare)
            {
                Compare(compare);
            }
        }

        foreach (var route in routing.HeaderRoutes.Where(r => !Token().IsMatch(r.Name)))
        {
            throw EdgeRefusedException.BadInput($"The header route's name '{Shorten(route.Name)}' is not a header name.");
        }
    }

    public const int MaxCompareBodyBytes = 16 << 20;

    private static void Compare(EdgeMirrorCompare compare)
    {
        if (compare.LatencyRatio is { } ratio && !(ratio >= 1 && double.IsFinite(ratio)))
        {
            throw EdgeRefusedException.BadInput(
                $"The mirror's compare.latencyRatio is {ratio.ToString(CultureInfo.InvariantCulture)}; it must be a number of at least 1.");
        }

        Range(compare.LatencySlackMillis, 0, 3_600_000, "the mirror's compare.latencySlackMillis");
        Range(compare.MaxBodyBytes, 1, MaxCompareBodyBytes, "the mirror's compare.maxBodyBytes");
        foreach (var path in compare.BodyPaths)
        {
            if (BodyPathPattern.Problem(path) is { } problem)
            {
                throw EdgeRefusedException.BadInput($"The mirror's compare.bodyPaths entry '{Shorten(path)}' {problem}.");
            }
        }

        foreach (var field in compare.IgnoreFields)
        {
            if (string.IsNullOrWhiteSpace(field) || (field.StartsWith('$') && !IgnoredPath().IsMatch(field)))
            {
                throw EdgeRefusedException.BadInput(
                    $"The mirror's compare.ignoreFields entry '{Shorten(field)}' is neither a property name nor a path like $.meta.requestId.");
            }
        }
    }

    /// <summary>Every release the routing names: weights, preview, mirror and header routes.</summary>
    public static IEnumerable<string> NamedVersions(EdgeRoutingSpec routing) =>
        routing.Weights.Keys
            .Concat(routing.HeaderRoutes.Select(r => r.Version))
            .Concat(routing.Preview is { } preview ? [preview] : [])
            .Concat(routing.Mirror is { } mirror ? [mirror.Version] : []);

    private static void Range(int value, int min, int max, string what)
    {
        if (value < min || value > max)
        {
            throw EdgeRefusedException.BadInput($"{char.ToUpperInvariant(what[0])}{what[1..]} is {value}; it must be between {min} and {max}.");
        }
    }

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex VariableName();

    // $.a.b, $.items[*].id: property names (no '.', '[' or ']') after dots, [*] after any of them.
    [GeneratedRegex(@"^\$(\.[^.\[\]]+(\[\*\])*)+$")]
    private static partial Regex IgnoredPath();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$")]
    private static partial Regex Token();
}
