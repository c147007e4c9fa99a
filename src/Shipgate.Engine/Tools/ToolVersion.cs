using System.Globalization;

namespace Shipgate.Engine.Tools;

/// <summary>
/// A toolchain's version as the tool prints it (<c>v20.1.2</c>, <c>3.11.7</c>, <c>17.0.15+6</c>, <c>go1.22.1</c>,
/// <c>3.13.0rc1</c>): numeric components compared in order, a pre-release sorting before its release.
/// </summary>
internal sealed class ToolVersion : IComparable<ToolVersion>
{
    private ToolVersion(int[] components, string prerelease, string text)
    {
        Components = components;
        Prerelease = prerelease;
        Text = text;
    }

    /// <summary>The numeric components as written (at least one).</summary>
    public IReadOnlyList<int> Components { get; }

    /// <summary>What follows the numbers (<c>rc1</c>, <c>beta.2</c>), empty for a release.</summary>
    public string Prerelease { get; }

    public bool IsPrerelease => Prerelease.Length > 0;

    /// <summary>The text it was parsed from, without a leading <c>v</c>.</summary>
    public string Text { get; }

    public int Major => Component(0);

    public int Minor => Component(1);

    public int Patch => Component(2);

    /// <summary>Component <paramref name="index"/>, 0 when it was not written.</summary>
    public int Component(int index) => index < Components.Count ? Components[index] : 0;

    public static ToolVersion? TryParse(string text)
    {
        text = text.Trim();
        if (text.StartsWith("go", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (text.StartsWith('v') || text.StartsWith('V'))
        {
            text = text[1..];
        }

        var components = new List<int>();
        var i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (!int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            components.Add(value);
            if (i < text.Length - 1 && text[i] is '.' or '_' && char.IsAsciiDigit(text[i + 1]))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        if (components.Count == 0)
        {
            return null;
        }

        var rest = text[i..];
        var build = rest.IndexOf('+');
        if (build >= 0)
        {
            rest = rest[..build];
        }

        var prerelease = rest.TrimStart('-', '.');
        if (prerelease.Any(char.IsWhiteSpace))
        {
            return null;
        }

        return new ToolVersion([.. components], prerelease, text);
    }

    /// <summary>Compares the first <paramref name="count"/> components only (a partial version names a range).</summary>
    public int ComparePrefix(ToolVersion other, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var c = Component(i).CompareTo(other.Component(i));
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    public int CompareTo(ToolVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = ComparePrefix(other, Math.Max(Components.Count, other.Components.Count));
        if (c != 0)
        {
            return c;
        }

        return (IsPrerelease, other.IsPrerelease) switch
        {
            (false, false) => 0,
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(Prerelease, other.Prerelease),
        };
    }

    public override string ToString() => Text;
}
