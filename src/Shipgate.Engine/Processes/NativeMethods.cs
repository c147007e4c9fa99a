using System.Runtime.InteropServices;

namespace Shipgate.Engine.Processes;

/// <summary>The few libc calls .NET does not expose: signals to a process group, the owner of a file.</summary>
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
}
