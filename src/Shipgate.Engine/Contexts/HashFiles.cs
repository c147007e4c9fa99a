using System.Security.Cryptography;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Shipgate.Engine.Contexts;

/// <summary>
/// hashFiles(patterns): the files of the workspace that match the glob patterns (<c>!</c> excludes),
/// in path order; the SHA-256 of the concatenated SHA-256 of each file, in hex; empty when none match.
/// </summary>
internal static class HashFiles
{
    public static string Compute(string workspace, IReadOnlyList<string> patterns)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var pattern in patterns)
        {
            var trimmed = pattern.Trim();
            if (trimmed.StartsWith('!'))
            {
                matcher.AddExclude(trimmed[1..]);
            }
            else if (trimmed.Length > 0)
            {
                matcher.AddInclude(trimmed);
            }
        }

        if (!Directory.Exists(workspace))
        {
            return "";
        }

        var files = matcher.GetResultsInFullPath(workspace).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return "";
        }

        using var combined = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            combined.AppendData(SHA256.HashData(stream));
        }

        return Convert.ToHexStringLower(combined.GetHashAndReset());
    }
}
