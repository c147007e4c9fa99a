using System.Security.Cryptography;
using System.Text;

namespace Shipgate.Storage.Secrets;

/// <summary>
/// AES-256-GCM for values the store keeps encrypted (secrets, webhook secrets). The key lives in a file
/// outside the database (mode 0600, created on first use), never in SQL: a copy of the database alone
/// does not reveal a secret. Each value is bound to where it is stored (associated data), so a value
/// copied into another row does not decrypt.
/// Layout: version (1 byte) · key id (4 bytes, SHA-256 of the key) · nonce (12) · tag (16) · ciphertext.
/// </summary>
internal sealed class SecretCipher
{
    private const byte FormatVersion = 1;
    private const int KeySize = 32;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;

    private readonly byte[] _key;
    private readonly byte[] _keyId;
    private readonly string _keyPath;

    private SecretCipher(byte[] key, string keyPath)
    {
        _key = key;
        _keyId = SHA256.HashData(key)[..KeyIdSize];
        _keyPath = keyPath;
    }

    /// <summary>Reads the key file, or creates it (32 random bytes, mode 0600) when it does not exist.</summary>
    public static SecretCipher LoadOrCreate(string keyPath) => new(KeyFile.LoadOrCreate(keyPath, KeySize), keyPath);

    public byte[] Encrypt(string plaintext, string boundTo)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedValue = new byte[HeaderSize + plain.Length];
        sealedValue[0] = FormatVersion;
        _keyId.CopyTo(sealedValue, 1);
        var nonce = sealedValue.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), Encoding.UTF8.GetBytes(boundTo));
        return sealedValue;
    }

    public string Decrypt(byte[] sealedValue, string boundTo)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != FormatVersion)
        {
            throw new StoreException($"A stored secret ({boundTo}) is not in a format this Shipgate knows.");
        }

        if (!sealedValue.AsSpan(1, KeyIdSize).SequenceEqual(_keyId))
        {
            throw new StoreException($"The stored secrets were encrypted with another key than {_keyPath}: restore the key file the store was created with.");
        }

        var plain = new byte[sealedValue.Length - HeaderSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(sealedValue.AsSpan(1 + KeyIdSize, NonceSize), sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(boundTo));
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new StoreException($"A stored secret ({boundTo}) was altered or moved in the database and cannot be decrypted.", exception);
        }

        return Encoding.UTF8.GetString(plain);
    }
}
