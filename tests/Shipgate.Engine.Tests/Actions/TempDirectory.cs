namespace Shipgate.Engine.Tests.Actions;

/// <summary>A directory under the system temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("shipgate-test-").FullName;

    public string Path { get; }

    /// <summary>Creates (if needed) a subdirectory and returns its full path.</summary>
    public string Create(string relative) => Directory.CreateDirectory(System.IO.Path.Combine(Path, relative)).FullName;

    /// <summary>Writes a file (creating its directories) and returns its full path.</summary>
    public string Write(string relative, string content) => WriteFile(System.IO.Path.Combine(Path, relative), content);

    public static string WriteFile(string path, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process a test started may still hold a file; the OS temp cleaner gets the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
