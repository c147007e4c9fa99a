using System.Text;
using Shipgate.Flags.Hashing;

namespace Shipgate.Flags.Tests.Hashing;

public sealed class Murmur3Tests
{
    // Vectors of MurmurHash3_x86_32 as the reference implementation (Austin Appleby's MurmurHash3.cpp, SMHasher)
    // computes them, as collected and verified against it in Ian Boyd's published list.
    [Theory]
    [InlineData("", 0u, 0u)]
    [InlineData("", 1u, 0x514E28B7u)]
    [InlineData("", 0xffffffffu, 0x81F16F39u)]
    [InlineData("00000000", 0u, 0x2362F9DEu)]
    [InlineData("ffffffff", 0u, 0x76293B50u)]
    [InlineData("21436587", 0u, 0xF55B516Bu)]
    [InlineData("21436587", 0x5082EDEEu, 0x2362F9DEu)]
    [InlineData("214365", 0u, 0x7E4A8634u)]
    [InlineData("2143", 0u, 0xA0F7B07Au)]
    [InlineData("21", 0u, 0x72661CF4u)]
    [InlineData("000000", 0u, 0x85F0B427u)]
    [InlineData("0000", 0u, 0x30F4C306u)]
    [InlineData("00", 0u, 0x514E28B7u)]
    public void Hash32_ReferenceByteVectors_Match(string hex, uint seed, uint expected) =>
        Assert.Equal(expected, Murmur3.Hash32(Convert.FromHexString(hex), seed));

    [Theory]
    [InlineData("a", 0x7FA09EA6u)]
    [InlineData("ab", 0x74875592u)]
    [InlineData("abc", 0xC84A62DDu)]
    [InlineData("abcd", 0xF0478627u)]
    [InlineData("aaaa", 0x5A97808Au)]
    [InlineData("Hello, world!", 0x24884CBAu)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x2FA826CDu)]
    public void Hash32_ReferenceTextVectors_Match(string text, uint expected) =>
        Assert.Equal(expected, Murmur3.Hash32(Encoding.ASCII.GetBytes(text), 0x9747b28c));

    [Fact]
    public void Hash32Unleash_PrefixAndValue_HashAsOneString()
    {
        var expected = Murmur3.Hash32(Encoding.ASCII.GetBytes("group:user-42"), 0);

        Assert.Equal(expected, Murmur3.Hash32Unleash(Encoding.ASCII.GetBytes("group:"), "user-42", 0));
    }

    [Fact]
    public void Hash32Unleash_NonAsciiValue_HashesTheLowByteOfEachCodeUnit()
    {
        // murmurhash3js reads charCodeAt(i) & 0xff: "ü" (U+00FC) is the byte 0xFC, "用" (U+7528) the byte 0x28.
        var expected = Murmur3.Hash32([(byte)'g', (byte)':', 0xFC, 0x28], 0);

        Assert.Equal(expected, Murmur3.Hash32Unleash("g:"u8, "ü用", 0));
    }

    [Fact]
    public void Hash32Unleash_ValueLongerThanTheStackBuffer_HashesAsOneString()
    {
        var value = new string('x', 1000);

        Assert.Equal(Murmur3.Hash32(Encoding.ASCII.GetBytes("g:" + value), 7), Murmur3.Hash32Unleash("g:"u8, value, 7));
    }
}
