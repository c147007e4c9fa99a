using System.Globalization;

namespace Shipgate.Engine.Tools;

/// <summary>
/// A requested version as setup-* actions accept it: a partial version (<c>18</c>, <c>3.11</c>, <c>8.0.x</c>,
/// <c>8.0.1xx</c>), <c>x</c>/<c>*</c>, comparators (<c>&gt;=3.10 &lt;4</c>), caret and tilde (<c>^18.1</c>, <c>~3.10</c>),
/// hyphen ranges (<c>1.2 - 2.3</c>) and alternatives (<c>||</c>). A partial version matches every version it is a
/// prefix of. Pre-releases match only when the spec asks for one.
/// </summary>
internal sealed class VersionSpec
{
    private readonly IReadOnlyList<IReadOnlyList<Comparator>> _alternatives;

    private VersionSpec(string text, IReadOnlyList<IReadOnlyList<Comparator>> alternatives, bool allowPrerelease)
    {
        Text = text;
        _alternatives = alternatives;
        AllowsPrerelease = allowPrerelease;
    }

    public string Text { get; }

    public bool AllowsPrerelease { get; }

    /// <summary>True when the spec names one exact version (all of major, minor and patch).</summary>
    public bool IsExact => _alternatives.Count == 1 && _alternatives[0] is [{ Operator: "=", Count: >= 3, Band: null }];

    /// <summary>Parses <paramref name="text"/>; null when it is not a version spec.</summary>
    public static VersionSpec? TryParse(string text, bool allowPrerelease = false)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith("-dev", StringComparison.OrdinalIgnoreCase))
        {
            // setup-python's "3.13-dev": the newest 3.13, pre-releases included.
            trimmed = trimmed[..^4];
            allowPrerelease = true;
        }

        if (trimmed.Length == 0)
        {
            return null;
        }

        var alternatives = new List<IReadOnlyList<Comparator>>();
        foreach (var part in trimmed.Split("||"))
        {
            var comparators = ParseSet(part.Trim());
            if (comparators is null)
            {
                return null;
            }

            allowPrerelease |= comparators.Any(c => c.Version?.IsPrerelease == true);
            alternatives.Add(comparators);
        }

        return new VersionSpec(trimmed, alternatives, allowPrerelease);
    }

    public bool IsSatisfiedBy(ToolVersion version)
    {
        if (version.IsPrerelease && !AllowsPrerelease)
        {
            return false;
        }

        return _alternatives.Any(set => set.All(c => c.IsSatisfiedBy(version)));
    }

    /// <summary>The candidate with the highest version that satisfies the spec, or null.</summary>
    public T? Best<T>(IEnumerable<T> candidates, Func<T, ToolVersion> version)
        where T : class =>
        candidates.Where(c => IsSatisfiedBy(version(c))).MaxBy(version);

    public override string ToString() => Text;

    private static List<Comparator>? ParseSet(string set)
    {
        if (set.Length == 0 || set is "x" or "X" or "*" or "latest" or "stable")
        {
            return [Comparator.Any];
        }

        var tokens = set.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count == 3 && tokens[1] == "-")
        {
            var low = Comparator.TryParse(">=" + tokens[0]);
            var high = Comparator.TryParse("<=" + tokens[2]);
            return low is null || high is null ? null : [low, high];
        }

        // ">= 3.10" is written with a space sometimes; join an operator with its version.
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            if (tokens[i] is ">=" or "<=" or ">" or "<" or "=" or "^" or "~")
            {
                tokens[i] += tokens[i + 1];
                tokens.RemoveAt(i + 1);
            }
        }

        var comparators = new List<Comparator>();
        foreach (var token in tokens)
        {
            var comparator = Comparator.TryParse(token);
            if (comparator is null)
            {
                return null;
            }

            comparators.Add(comparator);
        }

        return comparators;
    }

    /// <summary>One comparison with a partial version; <see cref="Count"/> is how many components were given.</summary>
    private sealed record Comparator(string Operator, ToolVersion? Version, int Count, int? Band)
    {
        public static readonly Comparator Any = new("*", null, 0, null);

        public static Comparator? TryParse(string token)
        {
            var op = token switch
            {
                _ when token.StartsWith(">=", StringComparison.Ordinal) => ">=",
                _ when token.StartsWith("<=", StringComparison.Ordinal) => "<=",
                _ when token.StartsWith('>') => ">",
                _ when token.StartsWith('<') => "<",
                _ when token.StartsWith('=') => "=",
                _ when token.StartsWith('^') => "^",
                _ when token.StartsWith('~') => "~",
                _ => "",
            };
            var rest = token[op.Length..].Trim();
            op = op.Length == 0 ? "=" : op;
            if (rest.StartsWith('v') || rest.StartsWith('V'))
            {
                rest = rest[1..];
            }

            // Cut at the first wildcard component: "8.0.x" is the partial version "8.0"; "8.0.1xx" is a feature band.
            var parts = rest.Split('.');
            var kept = new List<string>();
            int? band = null;
            foreach (var part in parts)
            {
                if (part is "x" or "X" or "*")
                {
                    break;
                }

                if (part.Length == 3 && char.IsAsciiDigit(part[0]) && part[1..] is "xx" or "XX")
                {
                    band = part[0] - '0';
                    break;
                }

                kept.Add(part);
            }

            if (kept.Count == 0)
            {
                return op is "=" or ">=" or "<=" or "^" or "~" && band is null ? Any : null;
            }

            var version = ToolVersion.TryParse(string.Join('.', kept));
            if (version is null || (version.Components.Count != kept.Count && !rest.Contains('-', StringComparison.Ordinal)))
            {
                return null;
            }

            return new Comparator(op, version, version.Components.Count, band);
        }

        public bool IsSatisfiedBy(ToolVersion candidate)
        {
            if (Version is null)
            {
                return true;
            }

            var prefix = candidate.ComparePrefix(Version, Count);
            return Operator switch
            {
                "=" => prefix == 0 && (Band is null || candidate.Component(Count) / 100 == Band)
                    && (!Version.IsPrerelease || Count < 3 || candidate.CompareTo(Version) == 0),
                ">=" => prefix >= 0,
                "<=" => prefix <= 0,
                ">" => prefix > 0,
                "<" => prefix < 0 || (prefix == 0 && Count >= 3 && candidate.CompareTo(Version) < 0),
                "^" => prefix >= 0 && candidate.ComparePrefix(Version, Version.Major == 0 && Count >= 2 ? 2 : 1) == 0,
                "~" => prefix >= 0 && candidate.ComparePrefix(Version, Count >= 2 ? 2 : 1) == 0,
                _ => false,
            };
        }

        public override string ToString() => Operator + Version?.Text + (Band is { } b ? "." + b.ToString(CultureInfo.InvariantCulture) + "xx" : "");
    }
}
