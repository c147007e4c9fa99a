namespace Shipgate.Edge.Comparison;

/// <summary>
/// A route whose bodies are compared, as a path pattern: <c>/api/orders/*</c> (<c>*</c>: one segment),
/// <c>/api/**</c> (<c>**</c>, last: any rest of the path, or none), otherwise the exact path, case-sensitive.
/// </summary>
internal sealed class BodyPathPattern(string pattern)
{
    private readonly string[] _segments = pattern.Split('/');

    /// <summary>Why <paramref name="pattern"/> is not a pattern, in a sentence's clause; null when it is one.</summary>
    public static string? Problem(string pattern)
    {
        if (!pattern.StartsWith('/') || pattern.Any(char.IsWhiteSpace))
        {
            return "must be a path starting with '/' without spaces";
        }

        var segments = pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Contains('*') && segment is not ("*" or "**"))
            {
                return "may use '*' and '**' only as whole segments";
            }

            if (segment == "**" && i != segments.Length - 1)
            {
                return "may use '**' only as the last segment";
            }
        }

        return null;
    }

    public bool Matches(string path)
    {
        var segments = path.Split('/');
        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i] == "**")
            {
                return true;
            }

            if (i >= segments.Length || (_segments[i] == "*" ? segments[i].Length == 0 : _segments[i] != segments[i]))
            {
                return false;
            }
        }

        return segments.Length == _segments.Length;
    }
}
