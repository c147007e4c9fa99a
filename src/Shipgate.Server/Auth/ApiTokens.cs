using System.Security.Cryptography;
using System.Text;

namespace Shipgate.Server.Auth;

/// <summary>API tokens: 32 random bytes, base64url, with a <c>sgt_</c> prefix that secret scanners can spot; stored as SHA-256.</summary>
internal static class ApiTokens
{
    public const string Prefix = "sgt_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The lowercase hex SHA-256 of the token's UTF-8 bytes: what the store keeps and looks tokens up by.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
