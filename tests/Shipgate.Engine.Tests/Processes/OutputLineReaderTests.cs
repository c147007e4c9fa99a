using System.Text;
using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class OutputLineReaderTests
{
    /// <summary>Returns at most a few bytes per read, to cut characters and line ends at every place.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    private static async Task<List<OutputLine>> ReadAsync(string text, int maxLineLength = 1024, int chunk = 1)
    {
        var lines = new List<OutputLine>();
        var reader = new OutputLineReader(OutputStream.StandardOutput, maxLineLength, line =>
        {
            lines.Add(line);
            return ValueTask.CompletedTask;
        });
        await reader.PumpAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk), TestContext.Current.CancellationToken);
        return lines;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task PumpAsync_LineEnds_AreLfCrLfAndLoneCr(int chunk)
    {
        var lines = await ReadAsync("a\nb\r\nc\rd\r\n\ne", chunk: chunk);

        Assert.Equal(["a", "b", "c", "d", "", "e"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task PumpAsync_MultiByteCharactersSplitAcrossReads_AreDecoded()
    {
        var lines = await ReadAsync("héllo wörld ✓ 😀\n", chunk: 1);

        Assert.Equal("héllo wörld ✓ 😀", Assert.Single(lines).Text);
    }

    [Fact]
    public async Task PumpAsync_LongLine_IsCutIntoPartialPieces()
    {
        var lines = await ReadAsync(new string('x', 25) + "\nnext", maxLineLength: 10, chunk: 7);

        Assert.Equal([(10, true), (10, true), (5, false), (4, false)], lines.Select(l => (l.Text.Length, l.IsPartial)));
    }

    [Fact]
    public async Task PumpAsync_LineOfExactlyTheCap_IsWhole()
    {
        var lines = await ReadAsync("0123456789\n", maxLineLength: 10);

        Assert.Equal([("0123456789", false)], lines.Select(l => (l.Text, l.IsPartial)));
    }

    [Fact]
    public async Task PumpAsync_SurrogatePairAtTheCut_IsNotSplit()
    {
        var lines = await ReadAsync("abc😀def\n", maxLineLength: 4);

        Assert.Equal(["abc", "😀de", "f"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task PumpAsync_InvalidUtf8_BecomesReplacementCharacters()
    {
        var lines = new List<OutputLine>();
        var reader = new OutputLineReader(OutputStream.StandardError, 100, line =>
        {
            lines.Add(line);
            return ValueTask.CompletedTask;
        });

        await reader.PumpAsync(new MemoryStream([0x61, 0xff, 0x62, 0x0a]), TestContext.Current.CancellationToken);

        Assert.Equal("a\uFFFDb", Assert.Single(lines).Text);
        Assert.Equal(OutputStream.StandardError, lines[0].Stream);
    }
}
