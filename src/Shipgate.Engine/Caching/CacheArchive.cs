using System.Formats.Tar;
using System.IO.Compression;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Engine.Caching;

/// <summary>
/// A cache's files as a gzipped tar (System.Formats.Tar), with paths relative to the workspace so that paths
/// outside it (<c>~/.npm</c>) come back where they were, as actions/cache does. Links stay links.
/// </summary>
internal static class CacheArchive
{
    public static async Task WriteAsync(Stream output, string workspace, IReadOnlyList<FoundPath> paths, CancellationToken cancellationToken = default)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await using var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var path in paths)
        {
            var name = Path.GetRelativePath(workspace, path.FullPath).Replace('\\', '/');
            if (path.Kind == FoundPathKind.Directory)
            {
                name += "/";
            }

            await writer.WriteEntryAsync(path.FullPath, name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the archive's entries under <paramref name="workspace"/>, replacing what is there, each only where
    /// <paramref name="confinement"/> allows: an entry whose directory leads (through a link a step planted, or one an
    /// earlier entry made) out of the job's reach stops the restore with <see cref="UnauthorizedAccessException"/>.
    /// Returns how many.
    /// </summary>
    public static async Task<int> ExtractAsync(Stream input, string workspace, PathConfinement? confinement, CancellationToken cancellationToken = default)
    {
        await using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        await using var reader = new TarReader(gzip, leaveOpen: true);
        var count = 0;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(workspace, entry.Name)));
            var real = Path.Join(PathConfinement.RealPath(Path.GetDirectoryName(target) ?? "/"), Path.GetFileName(target));
            if (confinement?.Refusal(target, real) is { } reason)
            {
                throw new UnauthorizedAccessException($"{target} is not written: {reason}.");
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (new FileInfo(target).LinkTarget is not null)
                    {
                        // A link where the directory goes: replaced, so that its mode is set on the directory, not on what it points to.
                        File.Delete(target);
                    }

                    Directory.CreateDirectory(target);
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(target, entry.Mode);
                    }

                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    DeleteExisting(target);
                    await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken).ConfigureAwait(false);
                    break;
                case TarEntryType.SymbolicLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    DeleteExisting(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                default:
                    // Hard links, devices and fifos are not written by WriteAsync.
                    continue;
            }

            count++;
        }

        return count;
    }

    private static void DeleteExisting(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
