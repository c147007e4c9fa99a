using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Engine.Caching;

/// <summary>
/// The local cache of <c>actions/cache</c> under <c>&lt;data dir&gt;/cache</c>. An entry is immutable once saved
/// and is found by its exact key, else by the newest entry whose key starts with the key, else with each
/// restore key in turn (GitHub's matching), always for the same version (the same <c>path:</c> lines).
/// </summary>
/// <remarks>Layout: <c>entries/&lt;id&gt;.json</c> and <c>archives/&lt;id&gt;.tar.gz</c>, id = SHA-256 of version and key.</remarks>
internal sealed class CacheStore(string directory, TimeProvider timeProvider)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public static CacheStore ForDataDirectory(string dataDirectory, TimeProvider timeProvider) =>
        new(Path.Combine(dataDirectory, "cache"), timeProvider);

    /// <summary>The version of a set of <c>path:</c> lines: a cache saved for other paths is never restored.</summary>
    public static string VersionOf(IEnumerable<string> pathLines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("shipgate-cache-v1\n" + string.Join('\n', pathLines))));

    /// <summary>The entry to restore for <paramref name="key"/> and <paramref name="restoreKeys"/>, or null on a miss.</summary>
    public CacheEntry? Find(string key, IReadOnlyList<string> restoreKeys, string version)
    {
        if (ReadEntry(EntryPath(Id(version, key))) is { } exact)
        {
            return exact;
        }

        var entriesDirectory = Path.Combine(Directory, "entries");
        if (!System.IO.Directory.Exists(entriesDirectory))
        {
            return null;
        }

        var candidates = System.IO.Directory.EnumerateFiles(entriesDirectory, "*.json")
            .Select(ReadEntry)
            .OfType<CacheEntry>()
            .Where(e => e.Version == version)
            .OrderByDescending(e => e.CreatedAt)
            .ToArray();
        foreach (var prefix in restoreKeys.Prepend(key))
        {
            if (candidates.FirstOrDefault(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)) is { } match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the entry's files back to where they were saved from (relative to <paramref name="workspace"/>), each only
    /// where <paramref name="confinement"/> allows (else <see cref="UnauthorizedAccessException"/> names the first).
    /// </summary>
    public async Task<int> RestoreAsync(CacheEntry entry, string workspace, PathConfinement? confinement, CancellationToken cancellationToken = default)
    {
        await using var input = new FileStream(entry.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await CacheArchive.ExtractAsync(input, workspace, confinement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves <paramref name="paths"/> under <paramref name="key"/>, unless an entry with that key and version exists.</summary>
    public async Task<CacheSaveOutcome> SaveAsync(string key, string version, string workspace, IReadOnlyList<FoundPath> paths, CancellationToken cancellationToken = default)
    {
        if (paths.Count == 0)
        {
            return CacheSaveOutcome.NothingToSave;
        }

        var id = Id(version, key);
        var archivePath = Path.Combine(Directory, "archives", id + ".tar.gz");
        if (File.Exists(EntryPath(id)) || File.Exists(archivePath))
        {
            return CacheSaveOutcome.AlreadyExists;
        }

        var temporaryDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tmp")).FullName;
        var temporary = Path.Combine(temporaryDirectory, Guid.NewGuid().ToString("N"));
        long size;
        await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await CacheArchive.WriteAsync(output, workspace, paths, cancellationToken).ConfigureAwait(false);
            size = output.Length;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(archivePath)!);
        try
        {
            // The archive's name is the reservation: moving without overwrite fails if another job saved first.
            File.Move(temporary, archivePath, overwrite: false);
        }
        catch (IOException) when (File.Exists(archivePath))
        {
            File.Delete(temporary);
            return CacheSaveOutcome.AlreadyExists;
        }

        var entry = new CacheEntry(key, version, timeProvider.GetUtcNow(), size, archivePath);
        var entryTemporary = Path.Combine(temporaryDirectory, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(entryTemporary, Serialize(entry), cancellationToken).ConfigureAwait(false);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(EntryPath(id))!);
        File.Move(entryTemporary, EntryPath(id), overwrite: false);
        return CacheSaveOutcome.Saved;
    }

    private static string Id(string version, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version + "\n" + key)));

    private string EntryPath(string id) => Path.Combine(Directory, "entries", id + ".json");

    private static byte[] Serialize(CacheEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("key", entry.Key);
            writer.WriteString("version", entry.Version);
            writer.WriteString("createdAt", entry.CreatedAt);
            writer.WriteNumber("size", entry.Size);
            writer.WriteString("archive", Path.GetFileName(entry.ArchivePath));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private CacheEntry? ReadEntry(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new CacheEntry(
                root.GetProperty("key").GetString()!,
                root.GetProperty("version").GetString()!,
                root.GetProperty("createdAt").GetDateTimeOffset(),
                root.GetProperty("size").GetInt64(),
                Path.Combine(Directory, "archives", root.GetProperty("archive").GetString()!));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A damaged entry is a miss, not a failed job: the next save under a new key replaces it.
            return null;
        }
    }
}
