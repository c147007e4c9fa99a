using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Shipgate.Flags.Hashing;

/// <summary>
/// MurmurHash3, x86 32-bit flavour, after Austin Appleby's public-domain reference (MurmurHash3.cpp,
/// <c>MurmurHash3_x86_32</c>); the constants and the test vectors in the tests are the reference's.
/// </summary>
internal static class Murmur3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    /// <summary>The hash of <paramref name="data"/> with <paramref name="seed"/>.</summary>
    public static uint Hash32(ReadOnlySpan<byte> data, uint seed)
    {
        var h1 = seed;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k1 = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4));
            h1 ^= MixK1(k1);
            h1 = BitOperations.RotateLeft(h1, 13);
            h1 = (h1 * 5) + 0xe6546b64;
        }

        var tail = data.Slice(blocks * 4);
        uint t = 0;
        switch (tail.Length)
        {
            case 3:
                t ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                t ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                t ^= tail[0];
                h1 ^= MixK1(t);
                break;
        }

        h1 ^= (uint)data.Length;
        h1 ^= h1 >> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >> 16;
        return h1;
    }

    /// <summary>
    /// The hash of <paramref name="prefix"/> followed by <paramref name="value"/> as unleash-client for Node hashes a
    /// string (its murmurhash3js takes the low byte of each UTF-16 code unit), so buckets agree with it for every id.
    /// </summary>
    [SkipLocalsInit] // The buffer is written before it is read; zeroing it would cost more than the hash.
    public static uint Hash32Unleash(ReadOnlySpan<byte> prefix, string value, uint seed)
    {
        var length = prefix.Length + value.Length;
        byte[]? rented = null;
        var buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        prefix.CopyTo(buffer);
        var rest = buffer.Slice(prefix.Length, value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            rest[i] = (byte)value[i];
        }

        var hash = Hash32(buffer.Slice(0, length), seed);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>The low byte of each UTF-16 code unit of <paramref name="text"/> (murmurhash3js's view of a string).</summary>
    public static byte[] UnleashBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }

        return bytes;
    }

    private static uint MixK1(uint k1)
    {
        k1 *= C1;
        k1 = BitOperations.RotateLeft(k1, 15);
        return k1 * C2;
    }
}
