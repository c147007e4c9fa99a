using Shipgate.Cli.Commands;

namespace Shipgate.Cli.Tests.Commands;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("before\u001b[2Jafter", "beforeafter")]
    [InlineData("\u001b[H\u001b[3J\u001b[1;1Hmoved", "moved")]
    [InlineData("clip\u001b]52;c;ZXZpbA==\u0007board", "clipboard")]
    [InlineData("title\u001b]0;owned\u001b\\bar", "titlebar")]
    [InlineData("unterminated\u001b]52;c;ZXZpbA==", "unterminated")]
    [InlineData("dcs\u001bPq#0;2;0;0;0\u001b\\done", "dcsdone")]
    [InlineData("reset\u001bc!", "reset!")]
    [InlineData("c1\u009b2Jcsi", "c12Jcsi")]
    [InlineData("bell\u0007 back\b\rspace", "bell backspace")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("\u001b[31mred\u001b[0m", "red")]
    public void Strip_ControlSequences_AreRemoved(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Strip(text, keepColours: false));
    }

    [Fact]
    public void Strip_KeepingColours_KeepsSgrOnly()
    {
        Assert.Equal("\u001b[1;31mred\u001b[0m", TerminalText.Strip("\u001b[1;31mred\u001b[0m\u001b[2J\u001b]52;c;eA==\u0007", keepColours: true));
    }

    [Fact]
    public void Strip_PlainText_IsTheSameString()
    {
        const string text = "plain ünïcode 🚀 text";

        Assert.Same(text, TerminalText.Strip(text, keepColours: false));
    }
}
