using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Shipgate.Edge.Admin;

/// <summary>
/// The bearer token of a TCP admin listener: kept in <c>STATE/admin.token</c> (0600, created once), compared in
/// constant time. A Unix socket needs none: its file permissions (0600) admit only the edge's user.
/// </summary>
internal sealed class AdminToken(byte[] token)
{
    public const string FileName = "admin.token";

    /// <summary>Reads the token file, creating it with a random token first when there is none.</summary>
    public static AdminToken LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            State.AtomicFile.Write(path, Encoding.ASCII.GetBytes(fresh + "\n"));
        }

        return new AdminToken(Encoding.ASCII.GetBytes(File.ReadAllText(path).Trim()));
    }

    /// <summary>Null when the request carries the token; else the status (401 none, 403 wrong) and the reason.</summary>
    public (int Status, string Error)? Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (401, "The edge's admin API needs a bearer token (Authorization: Bearer, from the edge's admin.token).");
        }

        var given = Encoding.ASCII.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, token) ? null : (403, "The bearer token is not the edge's admin token.");
    }
}
