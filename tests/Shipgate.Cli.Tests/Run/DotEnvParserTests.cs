using Shipgate.Cli.Run;

namespace Shipgate.Cli.Tests.Run;

public sealed class DotEnvParserTests
{
    [Fact]
    public void TryParse_QuotesCommentsAndExport_ReadsEveryForm()
    {
        const string text = "# a comment\nexport A=1\nB=\"multi\nline \\\"q\\\"\"\nC='single $A'\nD=plain value # trailing\n\nE=\n";

        Assert.True(DotEnvParser.TryParse(text, "s.env", out var pairs, out var error), error);

        Assert.Equal(
            [("A", "1"), ("B", "multi\nline \"q\""), ("C", "single $A"), ("D", "plain value"), ("E", "")],
            pairs.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void TryParse_UnclosedQuote_ReportsWhereItOpened()
    {
        Assert.False(DotEnvParser.TryParse("A=1\nTOKEN=\"abc\n", "s.env", out _, out var error));
        Assert.Equal("s.env:2:7: the value of 'TOKEN' opens a double quote that is never closed", error);
    }

    [Fact]
    public void TryParse_LineWithoutEquals_ReportsPosition()
    {
        Assert.False(DotEnvParser.TryParse("A=1\n  JUSTANAME\n", "s.env", out _, out var error));
        Assert.Equal("s.env:2:12: expected '=' after 'JUSTANAME'", error);
    }
}
