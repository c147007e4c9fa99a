namespace Shipgate.Engine.Steps;

/// <summary>A step's log on disk, written line by line as it comes. Stands in until Logging/ is wired in.</summary>
internal sealed class StepLogFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public StepLogFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public string Path { get; }

    /// <summary>Writes one line that is already masked.</summary>
    public void WriteLine(string maskedLine)
    {
        lock (_lock)
        {
            _writer.WriteLine(maskedLine);
        }
    }

    public void Dispose() => _writer.Dispose();
}
