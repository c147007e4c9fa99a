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
    public string? FirstDifference(JsonElement primary, JsonElement mirror) => Compare(primary, mirror, "$", "$");

    // path names the place with indices, for people; pattern with [*], for the ignore list.
    private string? Compare(JsonElement a, JsonElement b, string path, string pattern)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return path;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var theirs = Properties(b, pattern);
                var ours = Properties(a, pattern);
                foreach (var (name, value) in ours)
                {
                    if (!theirs.TryGetValue(name, out var other))
                    {
                        return path + "." + name;
                    }

                    if (Compare(value, other, path + "." + name, pattern + "." + name) is { } difference)
                    {
                        return difference;
                    }
                }

                return theirs.Keys.FirstOrDefault(name => !ours.ContainsKey(name)) is { } extra ? path + "." + extra : null;
            case JsonValueKind.Array:
                var count = Math.Min(a.GetArrayLength(), b.GetArrayLength());
                for (var i = 0; i < count; i++)
                {
                    if (Compare(a[i], b[i], path + "[" + i + "]", pattern + "[*]") is { } difference)
                    {
                        return difference;
                    }
                }

                return a.GetArrayLength() == b.GetArrayLength() ? null : path + "[" + count + "]";
            case JsonValueKind.Number:
                return NumbersEqual(a, b) ? null : path;
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal) ? null : path;
            default:
                // true, false, null: the kind is the value.
                return null;
        }
    }

    // The properties not ignored; of a name given twice the last counts, as JavaScript's JSON.parse does.
    private Dictionary<string, JsonElement> Properties(JsonElement element, string pattern)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!_names.Contains(property.Name) && (_paths.Count == 0 || !_paths.Contains(pattern + "." + property.Name)))
            {
                properties[property.Name] = property.Value;
            }
        }

        return properties;
    }

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
