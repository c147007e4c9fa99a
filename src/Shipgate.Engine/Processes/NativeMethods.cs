using System.Runtime.InteropServices;

namespace Shipgate.Engine.Processes;

/// <summary>The few libc calls .NET does not expose: signals to a process group, the owner of a file, fsync of a directory.</summary>
internal static class NativeMethods
{
    internal const int SigTerm = 15;
    internal const int SigKill = 9;

    /// <summary>kill(2): a negative <paramref name="pid"/> signals every process of group -pid.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Kill(int pid, int signal);

    /// <summary>lchown(2): changes the owner of a file, or of a link itself, never of what it points to.</summary>
    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int LChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);

    /// <summary>fsync(2) of a directory, which makes a rename in it durable; .NET opens no directory as a file.</summary>
    internal static void SyncDirectory(string directory)
    {
        const int readOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY (Linux)
        var fd = Open(directory, readOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"The directory '{directory}' could not be opened to make a change durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
