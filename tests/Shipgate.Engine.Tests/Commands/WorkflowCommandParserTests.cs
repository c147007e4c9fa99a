using Shipgate.Engine.Commands;

namespace Shipgate.Engine.Tests.Commands;

public sealed class WorkflowCommandParserTests
{
    private static readonly HashSet<string> Registered = new(StringComparer.OrdinalIgnoreCase) { "warning", "debug", "set-output", "error" };

    private static WorkflowCommand? Parse(string line) =>
        WorkflowCommandParser.TryParse(line, Registered.Contains, out var command) ? command : null;

    [Fact]
    public void TryParse_CommandWithProperties_SplitsNamePropertiesAndData()
    {
        var command = Parse("::warning file=src/a.cs,line=3,title=Heads up::Something: odd, here");

        Assert.NotNull(command);
        Assert.Equal("warning", command.Name);
        Assert.Equal("src/a.cs", command.Property("FILE"));
        Assert.Equal("3", command.Property("line"));
        Assert.Equal("Heads up", command.Property("title"));
        Assert.Equal("Something: odd, here", command.Data);
    }

    [Theory]
    [InlineData("   ::debug::indented", "debug", "indented")]
    [InlineData("::WARNING::upper case", "WARNING", "upper case")]
    [InlineData("::debug::", "debug", "")]
    [InlineData("::debug::a::b", "debug", "a::b")]
    [InlineData("prefix ##[warning]legacy form", "warning", "legacy form")]
    public void TryParse_Variants_AreCommands(string line, string name, string data)
    {
        var command = Parse(line);

        Assert.NotNull(command);
        Assert.Equal(name, command.Name);
        Assert.Equal(data, command.Data);
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("::unknown-command::data")]
    [InlineData("::warning message without end")]
    [InlineData("x ::warning::not at the start")]
    [InlineData("::::")]
    [InlineData(":: warning::space before the name")]
    [InlineData("##[warning without bracket end")]
    public void TryParse_NotACommand_ReturnsFalse(string line) => Assert.Null(Parse(line));

    [Fact]
    public void TryParse_Escapes_AreDecodedAsGitHubDoes()
    {
        var command = Parse("::error title=a%3Ab%2Cc%25d%0Ae::x%25y%0Az%0D%3A%2C%250A");

        Assert.NotNull(command);
        Assert.Equal("a:b,c%d\ne", command.Property("title"));
        // In data only %25, %0A and %0D are escapes; %250A is a literal %0A.
        Assert.Equal("x%y\nz\r%3A%2C%0A", command.Data);
    }

    [Fact]
    public void TryParse_MalformedProperties_AreIgnored()
    {
        var command = Parse("::error file=,line,=3,col=4,,title=t=u::m");

        Assert.NotNull(command);
        Assert.Null(command.Property("file"));
        Assert.Null(command.Property("line"));
        Assert.Equal("4", command.Property("col"));
        Assert.Equal("t=u", command.Property("title"));
    }

    [Fact]
    public void TryParse_LegacyForm_UsesSemicolonsAndItsEscapes()
    {
        var command = Parse("##[set-output name=a%3Bb;other=1]v%5Dw%3B");

        Assert.NotNull(command);
        Assert.Equal("a;b", command.Property("name"));
        Assert.Equal("1", command.Property("other"));
        Assert.Equal("v]w;", command.Data);
    }
}
