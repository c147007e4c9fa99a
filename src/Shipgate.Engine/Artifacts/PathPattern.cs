using System.Text;
using System.Text.RegularExpressions;

namespace Shipgate.Engine.Artifacts;

/// <summary>
/// One line of a <c>path:</c> input as @actions/glob reads it: an absolute pattern with <c>*</c>, <c>?</c>,
/// <c>[...]</c> and <c>**</c> (which also match dot files), negated by a leading <c>!</c>. A pattern that matches
/// a directory also matches everything under it.
/// </summary>
internal sealed class PathPattern
{
    private readonly Regex? _regex;
    private readonly string _pattern;

    private PathPattern(string pattern, bool isExclude)
    {
        _pattern = pattern;
        IsExclude = isExclude;
        var segments = pattern.Split('/');
        var literal = segments.TakeWhile(s => !HasGlob(s)).ToArray();
        HasGlobs = literal.Length < segments.Length;
        SearchPath = literal.Length <= 1 ? "/" : string.Join('/', literal);
        if (HasGlobs)
        {
            _regex = new Regex(ToRegex(segments), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
    }

    /// <summary>True for a <c>!pattern</c> line, which removes what earlier lines matched.</summary>
    public bool IsExclude { get; }

    /// <summary>The pattern's leading directories without wildcards: where a search for it starts.</summary>
    public string SearchPath { get; }

    public bool HasGlobs { get; }

    /// <summary>
    /// Parses one trimmed line; <paramref name="resolve"/> makes it absolute (HOME, the workspace). Null for
    /// an empty line or a <c>#</c> comment.
    /// </summary>
    public static PathPattern? Parse(string line, Func<string, string> resolve)
    {
        line = line.Trim();
        if (line.Length == 0 || line.StartsWith('#'))
        {
            return null;
        }

        var exclude = false;
        while (line.StartsWith('!'))
        {
            exclude = !exclude;
            line = line[1..].TrimStart();
        }

        var absolute = resolve(line).Replace('\\', '/');
        if (absolute.Length > 1)
        {
            absolute = absolute.TrimEnd('/');
        }

        return new PathPattern(absolute, exclude);
    }

    /// <summary>True when the path, or a directory above it, matches the pattern.</summary>
    public bool Matches(string absolutePath)
    {
        if (_regex is null)
        {
            return absolutePath == _pattern
                || (absolutePath.StartsWith(_pattern, StringComparison.Ordinal) && (_pattern == "/" || absolutePath[_pattern.Length] == '/'));
        }

        for (var candidate = absolutePath; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (_regex.IsMatch(candidate))
            {
                return true;
            }

            if (candidate == "/")
            {
                break;
            }
        }

        return false;
    }

    public override string ToString() => (IsExclude ? "!" : "") + _pattern;

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static bool HasGlob(string segment) => segment.AsSpan().IndexOfAny("*?[") >= 0;

    private static string ToRegex(string[] segments)
    {
        var regex = new StringBuilder("^");
        foreach (var segment in segments.Skip(1))
        {
            if (segment == "**")
            {
                regex.Append("(?:/[^/]+)*");
            }
            else
            {
                regex.Append('/');
                AppendSegment(regex, segment);
            }
        }

        return regex.Append('$').ToString();
    }

    private static void AppendSegment(StringBuilder regex, string segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            switch (c)
            {
                case '*':
                    while (i + 1 < segment.Length && segment[i + 1] == '*')
                    {
                        i++;
                    }

                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var close = i + 2 <= segment.Length ? segment.IndexOf(']', i + 2) : -1;
                    if (close < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var body = segment[(i + 1)..close];
                    var negated = body.StartsWith('!') || body.StartsWith('^');
                    if (negated)
                    {
                        body = body[1..];
                    }

                    regex.Append(negated ? "[^/" : "[").Append(body.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
    }
}
