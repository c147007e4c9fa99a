using System.Runtime.InteropServices;

namespace Shipgate.Engine.Processes;

/// <summary>The few libc calls .NET does not expose: signals to a process group.</summary>
internal static class NativeMethods
{
    internal const int SigTerm = 15;
    internal const int SigKill = 9;

    /// <summary>kill(2): a negative <paramref name="pid"/> signals every process of group -pid.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Kill(int pid, int signal);
}
