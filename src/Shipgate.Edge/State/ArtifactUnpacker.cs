using System.Formats.Tar;
using System.Security.Cryptography;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Edge.State;

/// <summary>
/// Unpacks an uploaded artifact (a tar stream) into <c>STATE/releases/{hex}</c>: regular files and directories only,
/// relative paths that stay inside, at most <see cref="MaxBytes"/>; the files' manifest digest must be the one named.
/// It is unpacked into <c>{hex}.partial</c> first and renamed when it checks out, so a release directory is always whole.
/// </summary>
internal sealed class ArtifactUnpacker(string releasesDirectory)
{
    /// <summary>The largest artifact accepted (sum of its files), 1 GiB.</summary>
    public const long MaxBytes = 1L << 30;

    private const int MaxEntries = 100_000;
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101;

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>The release directory of <paramref name="digest"/>; null when the digest is not <c>sha256:</c> and 64 hex digits.</summary>
    public string? DirectoryOf(string digest) => ContentDigest.Hex(digest) is { } hex ? Path.Combine(releasesDirectory, hex) : null;

    /// <summary>True when the artifact is unpacked.</summary>
    public bool Has(string digest) => DirectoryOf(digest) is { } directory && Directory.Exists(directory);

    /// <summary>Unpacks <paramref name="tar"/>; returns null when it is in place, else the one-sentence reason it was refused.</summary>
    public async Task<string?> UnpackAsync(string digest, Stream tar, CancellationToken cancellationToken = default)
    {
        if (DirectoryOf(digest) is not { } target)
        {
            return $"'{digest}' is not an artifact digest (sha256: and 64 lower-case hex digits).";
        }

        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Directory.Exists(target))
            {
                return null;
            }

            var partial = target + ".partial";
            DeleteIfThere(partial);
            Directory.CreateDirectory(partial);
            SetMode(partial, DirectoryMode);
            try
            {
                var refusal = await ExtractAsync(tar, partial, cancellationToken).ConfigureAwait(false);
                if (refusal is not null)
                {
                    return refusal;
                }

                // Folders made for a file's path (not listed in the tar) follow the process's umask: open them to the
                // instances' user as the listed ones are.
                foreach (var directory in Directory.EnumerateDirectories(partial, "*", SearchOption.AllDirectories))
                {
                    SetMode(directory, DirectoryMode);
                }

                var manifest = new ArtifactManifest(await ManifestEntriesAsync(partial, cancellationToken).ConfigureAwait(false));
                if (manifest.Digest != digest)
                {
                    return $"The uploaded files' digest is {manifest.Digest}, not {digest}: the artifact is not the one named.";
                }

                Directory.Move(partial, target);
                Engine.Processes.NativeMethods.SyncDirectory(releasesDirectory);
                return null;
            }
            finally
            {
                DeleteIfThere(partial);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private static async Task<string?> ExtractAsync(Stream tar, string root, CancellationToken cancellationToken)
    {
        long total = 0;
        var entries = 0;
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (++entries > MaxEntries)
                    {
                        return $"The artifact has more than {MaxEntries} entries.";
                    }

                    if (Check(entry.Name) is { } bad)
                    {
                        return bad;
                    }

                    var relative = entry.Name.TrimEnd('/');
                    while (relative.StartsWith("./", StringComparison.Ordinal))
                    {
                        relative = relative[2..];
                    }

                    var path = Path.Combine(root, relative);
                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            if (relative is "" or ".")
                            {
                                continue;
                            }

                            Directory.CreateDirectory(path);
                            SetMode(path, DirectoryMode);
                            continue;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                            total += entry.Length;
                            if (total > MaxBytes)
                            {
                                return $"The artifact is larger than {MaxBytes / (1 << 20)} MiB.";
                            }

                            if (Directory.Exists(path) || File.Exists(path))
                            {
                                return $"The artifact holds '{entry.Name}' twice.";
                            }

                            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                            var executable = (entry.Mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
                            var output = new FileStream(path, System.IO.FileMode.CreateNew, FileAccess.Write);
                            await using (output.ConfigureAwait(false))
                            {
                                if (entry.DataStream is { } data)
                                {
                                    await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                                }
                            }

                            SetMode(path, executable ? ExecutableMode : FileMode);
                            continue;
                        case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                            return $"The artifact's entry '{entry.Name}' is a link; an artifact holds regular files and directories only.";
                        default:
                            return $"The artifact's entry '{entry.Name}' is a {entry.EntryType}; an artifact holds regular files and directories only.";
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                return $"The body is not a valid tar stream ({ex.Message.TrimEnd('.')}).";
            }
        }

        return null;
    }

    /// <summary>Why an entry's name is refused, or null: absolute, with a <c>..</c> segment, empty, or a NUL.</summary>
    private static string? Check(string name)
    {
        if (name.StartsWith('/'))
        {
            return $"The artifact's entry '{name}' has an absolute path; its paths must be relative.";
        }

        if (name.Split('/').Contains("..") || name.Contains('\0', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return $"The artifact's entry '{name}' leaves the artifact's directory ('..' or a backslash in its path).";
        }

        return name.Length == 0 ? "The artifact has an entry with an empty name." : null;
    }

    private static async Task<List<ArtifactManifestEntry>> ManifestEntriesAsync(string root, CancellationToken cancellationToken)
    {
        var entries = new List<ArtifactManifestEntry>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var stream = File.OpenRead(file);
            byte[] hash;
            await using (stream.ConfigureAwait(false))
            {
                hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
            entries.Add(new ArtifactManifestEntry(Path.GetRelativePath(root, file), new FileInfo(file).Length, executable, ContentDigest.FromHash(hash)));
        }

        return entries;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void DeleteIfThere(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
