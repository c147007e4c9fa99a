using Microsoft.Extensions.Time.Testing;
using Shipgate.Engine.Logging;
using Shipgate.Engine.Tests.Processes;

namespace Shipgate.Engine.Tests.Logging;

public sealed class StepLogWriterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero));
    private readonly string _path = Path.Combine(ProcessTestSupport.NewTempDirectory(), "runs", "1", "build", "001-test.log");

    private string ReadWhileOpen()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public void WriteLine_EachLine_GetsItsTimestamp()
    {
        using (var log = new StepLogWriter(_path, _time))
        {
            log.WriteLine("first");
            _time.Advance(TimeSpan.FromMilliseconds(1.5));
            log.WriteLine("second");
        }

        Assert.Equal("2025-01-31T12:00:00.0000000Z first\n2025-01-31T12:00:00.0015000Z second\n", File.ReadAllText(_path));
    }

    [Fact]
    public void WriteLine_MultiLineText_WritesOneLogLinePerLine()
    {
        using (var log = new StepLogWriter(_path, _time))
        {
            log.WriteLine("a\r\nb\nc");
        }

        Assert.Equal(["2025-01-31T12:00:00.0000000Z a", "2025-01-31T12:00:00.0000000Z b", "2025-01-31T12:00:00.0000000Z c"], File.ReadAllLines(_path));
    }

    [Fact]
    public void WriteLine_ReaderFollowingTheFile_SeesLinesAfterTheFlushInterval()
    {
        using var log = new StepLogWriter(_path, _time);
        log.WriteLine("live line");

        _time.Advance(StepLogWriter.DefaultFlushInterval);

        Assert.Equal("2025-01-31T12:00:00.0000000Z live line\n", ReadWhileOpen());
    }

    [Fact]
    public void WriteLine_ManyLines_StreamToDiskWithoutGrowingMemory()
    {
        var line = new string('x', 100);
        long before;
        using (var log = new StepLogWriter(_path, _time))
        {
            for (var i = 0; i < 10_000; i++)
            {
                log.WriteLine(line);
            }

            before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < 500_000; i++)
            {
                log.WriteLine(line);
            }

            Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 10_000_000);
        }

        Assert.Equal(510_000L * ("2025-01-31T12:00:00.0000000Z ".Length + 101), new FileInfo(_path).Length);
    }

    [Fact]
    public void WriteLine_AfterDispose_Throws()
    {
        var log = new StepLogWriter(_path, _time);
        log.Dispose();

        Assert.Throws<ObjectDisposedException>(() => log.WriteLine("late"));
    }
}
