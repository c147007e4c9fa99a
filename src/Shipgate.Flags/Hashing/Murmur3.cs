using System.Buffers.Binary;
using System.Numerics;

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
            h1 = MixBlock(h1, BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4)));
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

        return Finish(h1, (uint)data.Length);
    }

    /// <summary>
    /// Starts a hash with <paramref name="prefix"/>: its whole 4-byte blocks are mixed once here, so hashing
    /// <c>prefix + value</c> later costs only the value's bytes.
    /// </summary>
    public static Murmur3Prefix Prepare(ReadOnlySpan<byte> prefix, uint seed)
    {
        var h1 = seed;
        var blocks = prefix.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            h1 = MixBlock(h1, BinaryPrimitives.ReadUInt32LittleEndian(prefix.Slice(i * 4)));
        }

        uint tail = 0;
        var rest = prefix.Slice(blocks * 4);
        for (var i = 0; i < rest.Length; i++)
        {
            tail |= (uint)rest[i] << (8 * i);
        }

        return new Murmur3Prefix(h1, tail, rest.Length, prefix.Length);
    }

    /// <summary>
    /// The hash of the prepared prefix followed by <paramref name="value"/> as unleash-client for Node hashes a string
    /// (its murmurhash3js takes the low byte of each UTF-16 code unit), so buckets agree with it for every id.
    /// </summary>
    public static uint Hash32Unleash(in Murmur3Prefix prefix, string value)
    {
        var h1 = prefix.State;
        var k1 = prefix.Tail;
        var filled = prefix.TailLength;
        foreach (var c in value)
        {
            k1 |= (uint)(byte)c << (8 * filled);
            if (++filled == 4)
            {
                h1 = MixBlock(h1, k1);
                k1 = 0;
                filled = 0;
            }
        }

        if (filled > 0)
        {
            h1 ^= MixK1(k1);
        }

        return Finish(h1, (uint)(prefix.Length + value.Length));
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

    private static uint MixBlock(uint h1, uint k1)
    {
        h1 ^= MixK1(k1);
        h1 = BitOperations.RotateLeft(h1, 13);
        return (h1 * 5) + 0xe6546b64;
    }

    private static uint Finish(uint h1, uint length)
    {
        h1 ^= length;
        h1 ^= h1 >> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >> 16;
        return h1;
    }

    private static uint MixK1(uint k1)
    {
        k1 *= C1;
        k1 = BitOperations.RotateLeft(k1, 15);
        return k1 * C2;
    }
}
