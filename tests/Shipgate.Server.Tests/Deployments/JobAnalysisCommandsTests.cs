using Shipgate.Server.Deployments;

namespace Shipgate.Server.Tests.Deployments;

public sealed class JobAnalysisCommandsTests
{
    [Fact]
    public void Cut_LineOfTheLimit_IsKeptWhole() =>
        Assert.Equal(new string('x', 200), JobAnalysisCommands.Cut(new string('x', 200)));

    [Fact]
    public void Cut_LongerLine_Is200CharactersEndingInAnEllipsis() =>
        Assert.Equal(new string('x', 199) + "…", JobAnalysisCommands.Cut(new string('x', 201)));

    [Fact]
    public void Cut_AtASurrogatePair_KeepsNoHalfOfIt()
    {
        var line = new string('x', 198) + "😀" + new string('x', 10);

        var cut = JobAnalysisCommands.Cut(line)!;

        Assert.Equal(new string('x', 198) + "…", cut);
    }
}
