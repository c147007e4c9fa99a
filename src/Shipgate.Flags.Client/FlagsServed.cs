using System.Text;

namespace Shipgate.Flags.Client;

/// <summary>
/// The variants that served one request, for the response header <c>X-Shipgate-Flags: key=variant, key2=variant2</c>
/// that the edge counts per flag and variant (the flag-ramp strategy compares them). Begin one per request with
/// <see cref="Begin"/>; <see cref="FlagClient"/> records every evaluation into <see cref="Current"/>, which flows with
/// the request's async calls. A key or variant outside the header's grammar (letters, digits, <c>-_.</c>, up to 64)
/// is left out, as the edge would drop it.
/// </summary>
public sealed class FlagsServed
{
    /// <summary>The response header's name.</summary>
    public const string HeaderName = "X-Shipgate-Flags";

    /// <summary>The longest key or variant the edge counts.</summary>
    public const int MaxNameLength = 64;

    private static readonly AsyncLocal<FlagsServed?> s_current = new();

    private readonly List<(string Key, string Variant)> _served = new(4);

    /// <summary>The current request's record, if <see cref="Begin"/> was called on its way here.</summary>
    public static FlagsServed? Current => s_current.Value;

    /// <summary>How many flags were recorded.</summary>
    public int Count => _served.Count;

    /// <summary>Starts a record for the request being handled and makes it <see cref="Current"/> for the calls it makes.</summary>
    public static FlagsServed Begin()
    {
        var served = new FlagsServed();
        s_current.Value = served;
        return served;
    }

    /// <summary>
    /// Records that <paramref name="variant"/> of flag <paramref name="key"/> served this request; a later evaluation of
    /// the same key replaces it.
    /// </summary>
    public void Record(string key, string variant)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(variant);
        if (!IsName(key) || !IsName(variant))
        {
            return;
        }

        for (var i = 0; i < _served.Count; i++)
        {
            if (_served[i].Key == key)
            {
                _served[i] = (key, variant);
                return;
            }
        }

        _served.Add((key, variant));
    }

    /// <summary>The header's value, <c>key=variant, key2=variant2</c>; empty when nothing was recorded.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, variant) in _served)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(key).Append('=').Append(variant);
        }

        return text.ToString();
    }

    /// <summary>Whether <paramref name="name"/> is a key or variant the edge counts: 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
