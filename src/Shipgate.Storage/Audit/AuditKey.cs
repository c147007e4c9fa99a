using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shipgate.Storage.Audit;

/// <summary>
/// The audit log's key (HMAC-SHA256, 32 bytes in <c>DATA/audit.key</c>, mode 0600, created at first start).
/// It authenticates each entry's hash and each checkpoint, so whoever can write the database but not read
/// this file cannot forge either. Each use has its own prefix, so an entry's MAC never passes as a checkpoint's.
/// </summary>
public sealed class AuditKey
{
    private const int KeySize = 32;

    private readonly byte[] _key;

    private AuditKey(byte[] key) => _key = key;

    /// <summary>Reads the key file, or creates it when it does not exist.</summary>
    public static AuditKey LoadOrCreate(string path) => new(KeyFile.LoadOrCreate(path, KeySize));

    /// <summary>Reads an existing key file (for verifying an export away from the server).</summary>
    public static AuditKey Load(string path)
    {
        var key = File.ReadAllBytes(path);
        return key.Length == KeySize
            ? new AuditKey(key)
            : throw new StoreException($"The key file {path} is not a Shipgate key ({key.Length} bytes instead of {KeySize}).");
    }

    /// <summary>The MAC of an entry with this hash.</summary>
    public string EntryMac(string hash) => Mac("shipgate-audit-entry\n" + hash);

    /// <summary>
    /// The MAC of a checkpoint: the log held entries up to <paramref name="sequence"/>, the last with
    /// <paramref name="hash"/>, at <paramref name="at"/>.
    /// </summary>
    public string CheckpointMac(long sequence, string hash, string at) =>
        Mac(string.Create(CultureInfo.InvariantCulture, $"shipgate-audit-checkpoint\n{sequence}\n{hash}\n{at}"));

    /// <summary>Compares in constant time, so a forger learns nothing from how long a refusal takes.</summary>
    public static bool Matches(string expected, string? actual) =>
        actual is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));

    private string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
}
