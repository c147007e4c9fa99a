using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class CommandLineArgumentsTests
{
    [Theory]
    [InlineData("-e /tmp/a.sh", new[] { "-e", "/tmp/a.sh" })]
    [InlineData("  spaced\t out  ", new[] { "spaced", "out" })]
    [InlineData("-command \". '/tmp/x y.ps1'\"", new[] { "-command", ". '/tmp/x y.ps1'" })]
    [InlineData("a\"b c\"d", new[] { "ab cd" })]
    [InlineData("\"\"", new[] { "" })]
    [InlineData("\"say \"\"hi\"\"\"", new[] { "say \"hi\"" })]
    [InlineData("a\\\\b", new[] { "a\\\\b" })]
    [InlineData("a\\\"b", new[] { "a\"b" })]
    [InlineData("\"a\\\\\" b", new[] { "a\\", "b" })]
    [InlineData("", new string[0])]
    public void Split_FollowsDotNetsRules(string arguments, string[] expected) =>
        Assert.Equal(expected, CommandLineArguments.Split(arguments));
}
