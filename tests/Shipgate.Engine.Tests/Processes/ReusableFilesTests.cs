using System.Text;
using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class ReusableFilesTests
{
    private readonly string _path = Path.Combine(ProcessTestSupport.NewTempDirectory(), "_step.sh");

    [Fact]
    public void Overwrite_MissingFile_CreatesItWithTheContent()
    {
        ReusableFiles.Overwrite(_path, "echo one\n"u8);

        Assert.Equal("echo one\n", File.ReadAllText(_path));
    }

    [Fact]
    public void Overwrite_ShorterContent_LeavesExactlyTheNewContent()
    {
        ReusableFiles.Overwrite(_path, Encoding.UTF8.GetBytes(new string('x', 10_000)));

        ReusableFiles.Overwrite(_path, "true"u8);

        Assert.Equal("true", File.ReadAllText(_path));
    }

    [Fact]
    public void Overwrite_EmptyContent_EmptiesTheFile()
    {
        ReusableFiles.Overwrite(_path, "echo one\n"u8);

        ReusableFiles.Overwrite(_path, []);

        Assert.Equal(0, new FileInfo(_path).Length);
    }

    [Fact]
    public void TryClaim_WhileClaimed_IsRefusedUntilReleased()
    {
        Assert.True(ReusableFiles.TryClaim(_path));
        Assert.False(ReusableFiles.TryClaim(_path));

        ReusableFiles.Release(_path);

        Assert.True(ReusableFiles.TryClaim(_path));
        ReusableFiles.Release(_path);
    }
}
