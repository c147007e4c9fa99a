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
    public void Hash32Unleash_AnyPrefixAndValue_HashesAsOneString()
    {
        // The prepared prefix carries its whole blocks and 0-3 leftover bytes into the value: every split agrees.
        var random = new Random(25);
        for (var prefixLength = 0; prefixLength < 12; prefixLength++)
        {
            for (var valueLength = 0; valueLength < 40; valueLength++)
            {
                var prefix = new string([.. Enumerable.Range(0, prefixLength).Select(_ => (char)random.Next(32, 127))]);
                var value = new string([.. Enumerable.Range(0, valueLength).Select(_ => (char)random.Next(32, 127))]);
                var seed = (uint)random.Next();

                Assert.Equal(Murmur3.Hash32(Encoding.ASCII.GetBytes(prefix + value), seed),
                    Murmur3.Hash32Unleash(Murmur3.Prepare(Encoding.ASCII.GetBytes(prefix), seed), value));
            }
        }
    }

    [Fact]
    public void Hash32Unleash_NonAsciiValue_HashesTheLowByteOfEachCodeUnit()
    {
        // murmurhash3js reads charCodeAt(i) & 0xff: "ü" (U+00FC) is the byte 0xFC, "用" (U+7528) the byte 0x28.
        var expected = Murmur3.Hash32([(byte)'g', (byte)':', 0xFC, 0x28], 0);

        Assert.Equal(expected, Murmur3.Hash32Unleash(Murmur3.Prepare("g:"u8, 0), "ü用"));
    }
}
