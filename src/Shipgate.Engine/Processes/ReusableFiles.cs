using System.Collections.Concurrent;

namespace Shipgate.Engine.Processes;

/// <summary>
/// The fixed-name files that consecutive steps of a job reuse (the script file, the five file-command files)
/// instead of creating fresh files and deleting them after each step. A claim makes sure that one step at a time
/// uses a name: a step that finds the name claimed uses a fresh file, as before.
/// </summary>
/// <remarks>
/// Measured (docs/benchmarks.md): creating and deleting seven files per step cost about a third of Shipgate's
/// per-step overhead on ext4, more than the rest of the engine's bookkeeping; the files themselves are needed, not
/// their fresh inodes. Content is written over in place and cut to its new length, never truncated to zero and
/// rewritten: on ext4 that pattern (auto_da_alloc) flushes the file to disk when it is closed.
/// </remarks>
internal static class ReusableFiles
{
    private static readonly ConcurrentDictionary<string, byte> Claims = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="path"/> (a full path) for one step; false when another step holds it.</summary>
    public static bool TryClaim(string path) => Claims.TryAdd(path, 0);

    /// <summary>Gives <paramref name="path"/> back for the next step.</summary>
    public static void Release(string path) => Claims.TryRemove(path, out _);

    /// <summary>Makes the file at <paramref name="path"/> hold exactly <paramref name="content"/>, creating it when missing.</summary>
    public static void Overwrite(string path, ReadOnlySpan<byte> content)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.Write(handle, content, 0);
        if (RandomAccess.GetLength(handle) != content.Length)
        {
            RandomAccess.SetLength(handle, content.Length);
        }
    }
}
