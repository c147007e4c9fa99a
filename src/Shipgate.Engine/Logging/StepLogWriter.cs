using System.Globalization;
using System.Text;

namespace Shipgate.Engine.Logging;

/// <summary>
/// Streams a step's log to a file, one line at a time with its UTC timestamp, as GitHub's raw logs do:
/// <c>2025-01-31T12:00:00.0000000Z text</c>. Nothing is kept in memory beyond a small buffer, which is flushed
/// when full, every <see cref="DefaultFlushInterval"/> while lines are written, and on dispose, so that a reader
/// can follow the file. Thread-safe. It writes text as given: callers pass masked text (the
/// <see cref="Commands.WorkflowCommandProcessor"/> masks what it hands to its sink).
/// </summary>
public sealed class StepLogWriter : IDisposable
{
    /// <summary>How long a written line may wait in the buffer (200 ms).</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(200);

    // 8K chars: the writer's char and byte buffers stay below the large object heap's 85,000 bytes (one log per step).
    private const int BufferSize = 8 * 1024;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly StreamWriter _writer;
    private readonly ITimer _flushTimer;
    private bool _dirty;
    private bool _disposed;

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>, creating its directory.</summary>
    public StepLogWriter(string path, TimeProvider timeProvider, TimeSpan? flushInterval = null)
    {
        Path = path;
        _timeProvider = timeProvider;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 1);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { NewLine = "\n" };
        var interval = flushInterval ?? DefaultFlushInterval;
        _flushTimer = timeProvider.CreateTimer(static state => ((StepLogWriter)state!).Flush(), this, interval, interval);
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> with the current time; each line of a multi-line text gets its own timestamp.</summary>
    public void WriteLine(string text)
    {
        var timestamp = _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var rest = text.AsSpan();
            while (true)
            {
                var end = rest.IndexOfAny('\r', '\n');
                _writer.Write(timestamp);
                _writer.Write(' ');
                _writer.Write(end < 0 ? rest : rest[..end]);
                _writer.Write('\n');
                if (end < 0)
                {
                    break;
                }

                var skip = rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1;
                rest = rest[(end + skip)..];
            }

            _dirty = true;
        }
    }

    /// <summary>Pushes buffered lines to the file, so that readers see them.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_dirty && !_disposed)
            {
                _writer.Flush();
                _dirty = false;
            }
        }
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
        }
    }
}
