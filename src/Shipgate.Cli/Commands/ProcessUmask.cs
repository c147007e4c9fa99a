using System.Runtime.InteropServices;

namespace Shipgate.Cli.Commands;

/// <summary>
/// The file-creation mask of <c>shipgate up</c>: 077, so that everything the server creates in its data folder
/// (the store, <c>secret.key</c>, logs, artifacts, event payloads, mirrors) is 0600 and every folder 0700. Steps
/// inherit it, as children do.
/// </summary>
internal static class ProcessUmask
{
    /// <summary>Sets the mask to 077 (no-op on Windows).</summary>
    public static void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetUmask(0b000_111_111);
        }
    }

    /// <summary>umask(2): sets the mask, returns the previous one.</summary>
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);
}
