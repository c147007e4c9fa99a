using System.Text.Json;

namespace Shipgate.Edge.Comparison;

/// <summary>
/// Compares two JSON documents by structure: objects by their properties whatever the order, arrays element by
/// element, numbers by value (<c>1</c>, <c>1.0</c> and <c>1e0</c> agree), strings by their decoded text. Properties
/// named in the ignore list are left out: a bare name (<c>timestamp</c>) at any depth, or a path from the root
/// (<c>$.meta.requestId</c>, <c>$.items[*].updatedAt</c>: <c>[*]</c> is any element of an array).
/// </summary>
internal sealed class JsonComparer
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    public JsonComparer(IEnumerable<string> ignoreFields)
    {
        foreach (var field in ignoreFields)
        {
            (field.StartsWith('$') ? _paths : _names).Add(field);
        }
    }

    /// <summary>Where the documents first differ (<c>$.items[2].price</c>); null when they agree.</summary>
    public string? FirstDifference(JsonElement primary, JsonElement mirror)
    {
        var where = new Stack<string>();
        return Equal(primary, mirror, _paths.Count == 0 ? null : "$", where) ? null : "$" + string.Concat(where);
    }

    // On a difference, the steps to it are pushed on where (when given) while the recursion unwinds, so the path is
    // only built then; the pattern, with [*] for indices, is only built when some ignored field is a path.
    private bool Equal(JsonElement a, JsonElement b, string? pattern, Stack<string>? where)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                return SameOrder(a, b, pattern) || EqualObjects(a, b, pattern, where);
            case JsonValueKind.Array:
                var i = 0;
                var items = pattern is null ? null : pattern + "[*]";
                using (var theirs = b.EnumerateArray())
                {
                    // Side by side: indexing an array of objects would scan it from the start each time.
                    foreach (var item in a.EnumerateArray())
                    {
                        if (!theirs.MoveNext() || !Equal(item, theirs.Current, items, where))
                        {
                            where?.Push("[" + i + "]");
                            return false;
                        }

                        i++;
                    }

                    if (theirs.MoveNext())
                    {
                        where?.Push("[" + i + "]");
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Number:
                return NumbersEqual(a, b);
            case JsonValueKind.String:
                return a.ValueEquals(b.GetString());
            default:
                // true, false, null: the kind is the value.
                return true;
        }
    }

    // The common case, both written by the same serializer: the same names in the same order, equal values. Any
    // other case (or a difference) is judged by EqualObjects, which finds where.
    private bool SameOrder(JsonElement a, JsonElement b, string? pattern)
    {
        using var theirs = b.EnumerateObject();
        foreach (var property in a.EnumerateObject())
        {
            var name = property.Name;
            if (!theirs.MoveNext() || !theirs.Current.NameEquals(name))
            {
                return false;
            }

            var child = Child(pattern, name);
            if (!Ignored(name, child) && !Equal(property.Value, theirs.Current.Value, child, where: null))
            {
                return false;
            }
        }

        return !theirs.MoveNext();
    }

    private bool EqualObjects(JsonElement a, JsonElement b, string? pattern, Stack<string>? where)
    {
        var theirs = Properties(b, pattern);
        var ours = Properties(a, pattern);
        foreach (var (name, value) in ours)
        {
            if (!theirs.TryGetValue(name, out var other) || !Equal(value, other, Child(pattern, name), where))
            {
                where?.Push("." + name);
                return false;
            }
        }

        if (theirs.Keys.FirstOrDefault(name => !ours.ContainsKey(name)) is { } extra)
        {
            where?.Push("." + extra);
            return false;
        }

        return true;
    }

    // The properties not ignored; of a name given twice the last counts, as JavaScript's JSON.parse does.
    private Dictionary<string, JsonElement> Properties(JsonElement element, string? pattern)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!Ignored(property.Name, Child(pattern, property.Name)))
            {
                properties[property.Name] = property.Value;
            }
        }

        return properties;
    }

    private bool Ignored(string name, string? pattern) => _names.Contains(name) || (pattern is not null && _paths.Contains(pattern));

    private static string? Child(string? pattern, string name) => pattern is null ? null : pattern + "." + name;

    private static bool NumbersEqual(JsonElement a, JsonElement b)
    {
        if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y))
        {
            return x == y;
        }

        return a.TryGetDouble(out var p) && b.TryGetDouble(out var q)
            ? p.Equals(q)
            : string.Equals(a.GetRawText(), b.GetRawText(), StringComparison.Ordinal);
    }
}
