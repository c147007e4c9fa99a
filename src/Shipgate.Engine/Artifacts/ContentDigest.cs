using System.Security.Cryptography;

namespace Shipgate.Engine.Artifacts;

/// <summary>SHA-256 digests in the <c>sha256:hex</c> form used for files and artifacts.</summary>
internal static class ContentDigest
{
    public const string Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> bytes) => Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string FromHash(byte[] hash) => Prefix + Convert.ToHexStringLower(hash);

    /// <summary>The hex part of a well-formed digest, or null.</summary>
    public static string? Hex(string digest)
    {
        if (!digest.StartsWith(Prefix, StringComparison.Ordinal) || digest.Length != Prefix.Length + 64)
        {
            return null;
        }

        var hex = digest[Prefix.Length..];
        return hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) ? hex : null;
    }
}
