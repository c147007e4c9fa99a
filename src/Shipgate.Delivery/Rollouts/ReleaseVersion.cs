using System.Text.RegularExpressions;

namespace Shipgate.Delivery.Rollouts;

/// <summary>A release's version as the edge takes it: part of a URL path, a header value and an instance id.</summary>
public static partial class ReleaseVersion
{
    /// <summary>True for 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static bool IsValid(string version) => VersionRegex().IsMatch(version);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();
}
