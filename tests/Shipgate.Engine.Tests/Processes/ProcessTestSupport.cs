using System.Collections.Concurrent;
using System.Globalization;
using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

/// <summary>Helpers for tests that run real processes.</summary>
internal static class ProcessTestSupport
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Bounds an await so that a hang fails the test with a message.</summary>
    public static Task<T> DefaultTimeoutAsync<T>(this Task<T> task) => task.WaitAsync(DefaultTimeout);

    public static Task DefaultTimeoutAsync(this Task task) => task.WaitAsync(DefaultTimeout);

    /// <summary>A minimal environment: PATH and HOME only.</summary>
    public static Dictionary<string, string> BaseEnvironment() => new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = Path.GetTempPath(),
    };

    public static ProcessSpec Bash(string script, string? workingDirectory = null, TimeSpan? timeout = null, ProcessTracker? tracker = null) => new()
    {
        FileName = "bash",
        Arguments = ["--noprofile", "--norc", "-c", script],
        WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        Environment = BaseEnvironment(),
        Timeout = timeout,
        Tracker = tracker,
    };

    /// <summary>Alive per /proc, read here independently of the code under test; a zombie is dead.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static int[] ReadPids(string file) =>
        [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "shipgate-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>Collects output lines, and lets a test wait for one.</summary>
internal sealed class OutputCollector
{
    private readonly ConcurrentQueue<OutputLine> _lines = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();

    public IReadOnlyList<OutputLine> Lines => [.. _lines];

    public IEnumerable<string> Texts(OutputStream stream) => _lines.Where(l => l.Stream == stream).Select(l => l.Text);

    public void Add(OutputLine line)
    {
        _lines.Enqueue(line);
        foreach (var (text, waiter) in _waiters)
        {
            if (line.Text == text)
            {
                waiter.TrySetResult();
            }
        }
    }

    public Task WaitForAsync(string text)
    {
        var waiter = _waiters.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_lines.Any(l => l.Text == text))
        {
            waiter.TrySetResult();
        }

        return waiter.Task.WaitAsync(ProcessTestSupport.DefaultTimeout);
    }
}
