namespace Shipgate.EndToEnd.Tests.Infrastructure;

/// <summary>The Shipgate source tree the tests were built from (the directory holding Shipgate.slnx).</summary>
internal static class SourceTree
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shipgate.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run from a build inside the Shipgate source tree.");
    }
}
