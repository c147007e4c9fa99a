using Shipgate.Engine.Logging;

namespace Shipgate.Engine.Tests.Logging;

public sealed class LogLayoutTests
{
    private readonly LogLayout _layout = new("/data");

    [Fact]
    public void StepLogPath_PlainNames_AreKeptAndIndexPadded()
    {
        Assert.Equal("/data/runs/42/build/007-Run_tests.log", _layout.StepLogPath("42", "build", 7, "Run_tests"));
        Assert.Equal("/data/runs/42/build/summary.md", _layout.JobSummaryPath("42", "build"));
    }

    [Fact]
    public void Segment_UnsafeCharacters_AreReplacedAndHashed()
    {
        var segment = LogLayout.Segment("build (ubuntu, 18)");

        Assert.Matches("^build-ubuntu-18-[0-9a-f]{8}$", segment);
        Assert.NotEqual(segment, LogLayout.Segment("build (ubuntu 18)"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("/")]
    public void Segment_PathTricks_StayInsideTheDirectory(string name)
    {
        var segment = LogLayout.Segment(name);

        Assert.NotEmpty(segment);
        Assert.DoesNotContain('/', segment);
        Assert.NotEqual("..", segment);
        Assert.NotEqual(".", segment);
    }

    [Fact]
    public void Segment_LongName_IsCut()
    {
        Assert.True(LogLayout.Segment(new string('a', 300)).Length <= 64 + 9);
    }
}
