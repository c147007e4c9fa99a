namespace Shipgate.Flags.Compiled;

/// <summary>
/// A semantic version as node-semver (which unleash-client uses) parses and orders it: <c>MAJOR.MINOR.PATCH</c>,
/// an optional <c>-prerelease</c> and <c>+build</c>, an optional leading <c>v</c>, surrounding spaces trimmed, at most
/// 256 characters. Parsing does not allocate: the prerelease is a range of the source string.
/// </summary>
internal readonly struct SemanticVersion
{
    private const int MaxLength = 256;
    private const long MaxSafeInteger = 9007199254740991;

    private readonly string _source;
    private readonly int _preStart;
    private readonly int _preLength;

    private SemanticVersion(string source, long major, long minor, long patch, int preStart, int preLength)
    {
        _source = source;
        Major = major;
        Minor = minor;
        Patch = patch;
        _preStart = preStart;
        _preLength = preLength;
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    private ReadOnlySpan<char> Prerelease => _source.AsSpan(_preStart, _preLength);

    public static bool TryParse(string text, out SemanticVersion version)
    {
        version = default;
        if (text.Length > MaxLength)
        {
            return false;
        }

        var span = text.AsSpan();
        var start = 0;
        var end = span.Length;
        while (start < end && char.IsWhiteSpace(span[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(span[end - 1]))
        {
            end--;
        }

        var i = start;
        if (i < end && span[i] == 'v')
        {
            i++;
        }

        if (!TryNumber(span, ref i, end, out var major) || !Dot(span, ref i, end)
            || !TryNumber(span, ref i, end, out var minor) || !Dot(span, ref i, end)
            || !TryNumber(span, ref i, end, out var patch))
        {
            return false;
        }

        int preStart = i, preLength = 0;
        if (i < end && span[i] == '-')
        {
            preStart = ++i;
            if (!TryIdentifiers(span, ref i, end, numericRule: true))
            {
                return false;
            }

            preLength = i - preStart;
        }

        if (i < end && span[i] == '+')
        {
            i++;
            if (!TryIdentifiers(span, ref i, end, numericRule: false))
            {
                return false;
            }
        }

        if (i != end)
        {
            return false;
        }

        version = new SemanticVersion(text, major, minor, patch, preStart, preLength);
        return true;
    }

    /// <summary>node-semver's <c>compare</c>: the numbers, then a release above its prereleases, then prerelease identifiers.</summary>
    public int CompareTo(in SemanticVersion other)
    {
        var main = Major != other.Major ? Major.CompareTo(other.Major)
            : Minor != other.Minor ? Minor.CompareTo(other.Minor)
            : Patch.CompareTo(other.Patch);
        if (main != 0)
        {
            return main;
        }

        var a = Prerelease;
        var b = other.Prerelease;
        if (a.IsEmpty || b.IsEmpty)
        {
            return a.IsEmpty == b.IsEmpty ? 0 : a.IsEmpty ? 1 : -1;
        }

        while (true)
        {
            if (a.IsEmpty || b.IsEmpty)
            {
                return a.IsEmpty == b.IsEmpty ? 0 : a.IsEmpty ? -1 : 1;
            }

            var x = NextIdentifier(ref a);
            var y = NextIdentifier(ref b);
            var order = CompareIdentifiers(x, y);
            if (order != 0)
            {
                return order;
            }
        }
    }

    private static ReadOnlySpan<char> NextIdentifier(ref ReadOnlySpan<char> rest)
    {
        var dot = rest.IndexOf('.');
        var identifier = dot < 0 ? rest : rest[..dot];
        rest = dot < 0 ? [] : rest[(dot + 1)..];
        return identifier;
    }

    // Numeric identifiers order numerically and below alphanumeric ones, which order as strings (node-semver).
    private static int CompareIdentifiers(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var aNumeric = IsDigits(a);
        var bNumeric = IsDigits(b);
        if (aNumeric && bNumeric)
        {
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
        }

        return aNumeric ? -1 : bNumeric ? 1 : Math.Sign(a.SequenceCompareTo(b));
    }

    private static bool IsDigits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    private static bool Dot(ReadOnlySpan<char> s, ref int i, int end)
    {
        if (i < end && s[i] == '.')
        {
            i++;
            return true;
        }

        return false;
    }

    private static bool TryNumber(ReadOnlySpan<char> s, ref int i, int end, out long value)
    {
        value = 0;
        var start = i;
        while (i < end && char.IsAsciiDigit(s[i]))
        {
            value = (value * 10) + (s[i] - '0');
            if (value > MaxSafeInteger)
            {
                return false;
            }

            i++;
        }

        // No leading zeros: "0" is a number, "01" is not.
        return i > start && (i - start == 1 || s[start] != '0');
    }

    private static bool TryIdentifiers(ReadOnlySpan<char> s, ref int i, int end, bool numericRule)
    {
        while (true)
        {
            var start = i;
            var allDigits = true;
            while (i < end && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '-'))
            {
                allDigits &= char.IsAsciiDigit(s[i]);
                i++;
            }

            if (i == start || (numericRule && allDigits && i - start > 1 && s[start] == '0'))
            {
                return false;
            }

            if (i < end && s[i] == '.')
            {
                i++;
                continue;
            }

            return true;
        }
    }
}
