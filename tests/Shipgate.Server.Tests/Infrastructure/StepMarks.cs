namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>
/// A directory outside the server's data directory where workflow steps leave evidence for a test. Steps run in a
/// sandbox as the runner user (the data directory hidden), so it must be outside the data and writable by anyone.
/// </summary>
internal static class StepMarks
{
    public static DirectoryInfo Create(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix);
        File.SetUnixFileMode(directory.FullName, (UnixFileMode)0b111_111_111);
        return directory;
    }
}
