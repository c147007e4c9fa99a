namespace Shipgate.Flags.Compiled;

/// <summary>
/// A set of strings for membership tests on the hot path: a short list is scanned (comparing a few strings costs less
/// than hashing one), a long one hashed.
/// </summary>
internal sealed class StringSet
{
    private const int ScanLimit = 8;

    private readonly string[]? _few;
    private readonly HashSet<string>? _many;

    public StringSet(IEnumerable<string> values)
    {
        var distinct = new HashSet<string>(values, StringComparer.Ordinal);
        if (distinct.Count <= ScanLimit)
        {
            _few = [.. distinct];
        }
        else
        {
            _many = distinct;
        }
    }

    public bool Contains(string value)
    {
        if (_many is not null)
        {
            return _many.Contains(value);
        }

        foreach (var candidate in _few!)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
