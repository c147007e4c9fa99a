using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Shipgate.Engine.Artifacts;

/// <summary>
/// The content-addressed artifact store under <c>&lt;data dir&gt;/artifacts</c>: file contents stored once by
/// SHA-256, an artifact is a manifest whose own SHA-256 is its digest, and each run records its artifacts by
/// name. What is stored never changes, so the same digest can be deployed to staging and then production.
/// Safe for concurrent uploads from several jobs and processes.
/// </summary>
/// <remarks>
/// Layout: <c>blobs/sha256/ab/abcd…</c> (file contents), <c>manifests/sha256/abcd….json</c>,
/// <c>runs/&lt;run id&gt;/&lt;name&gt;.json</c> (records), <c>tmp/</c>, <c>next-id</c> and <c>lock</c>.
/// </remarks>
public sealed class ArtifactStore
{
    /// <summary>How long an artifact is kept when the upload does not say (GitHub's default).</summary>
    public const int DefaultRetentionDays = 90;

    private static readonly char[] ForbiddenNameCharacters = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];

    private readonly TimeProvider _timeProvider;

    public ArtifactStore(string directory, TimeProvider? timeProvider = null)
    {
        Directory = Path.GetFullPath(directory);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The store's root directory.</summary>
    public string Directory { get; }

    /// <summary>The store of a data directory: <c>&lt;data dir&gt;/artifacts</c>.</summary>
    public static ArtifactStore ForDataDirectory(string dataDirectory, TimeProvider? timeProvider = null) =>
        new(Path.Combine(dataDirectory, "artifacts"), timeProvider);

    /// <summary>Why <paramref name="name"/> cannot name an artifact (upload-artifact's rules), or null when it can.</summary>
    public static string? ValidateName(string name)
    {
        if (name.Trim().Length == 0)
        {
            return "An artifact name must not be empty.";
        }

        if (name is "." or ".." || name.IndexOfAny(ForbiddenNameCharacters) >= 0)
        {
            return $"The artifact name '{name}' is not valid: it must not contain any of \" : < > | * ? \\ / or a line break.";
        }

        return null;
    }

    /// <summary>
    /// Stores <paramref name="files"/> as artifact <paramref name="name"/> of run <paramref name="runId"/>.
    /// A name the run already has is refused unless <paramref name="overwrite"/>, which replaces the record
    /// (with a new id; the old content stays addressable by its digest).
    /// </summary>
    public async Task<ArtifactUploadResult> UploadAsync(
        string runId,
        string name,
        IReadOnlyList<ArtifactSourceFile> files,
        bool overwrite = false,
        int? retentionDays = null,
        CancellationToken cancellationToken = default)
    {
        ValidateRunId(runId);
        if (ValidateName(name) is { } invalid)
        {
            return ArtifactUploadResult.Refused(invalid);
        }

        if (!overwrite && Find(runId, name) is not null)
        {
            return ArtifactUploadResult.Refused(Conflict(name));
        }

        var duplicate = files.GroupBy(f => f.RelativePath, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return ArtifactUploadResult.Refused($"Two files would have the same path '{duplicate.Key}' in artifact '{name}'.");
        }

        var entries = new ArtifactManifestEntry[files.Count];
        await Parallel.ForAsync(
            0,
            files.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4), CancellationToken = cancellationToken },
            async (i, token) => entries[i] = await StoreFileAsync(files[i], token).ConfigureAwait(false)).ConfigureAwait(false);

        var manifest = new ArtifactManifest(entries);
        var manifestPath = ManifestPath(ContentDigest.Hex(manifest.Digest)!);
        if (!File.Exists(manifestPath))
        {
            var temporary = TemporaryPath();
            await File.WriteAllBytesAsync(temporary, manifest.Bytes, cancellationToken).ConfigureAwait(false);
            MoveIntoPlace(temporary, manifestPath);
        }

        var createdAt = _timeProvider.GetUtcNow();
        var days = retentionDays ?? DefaultRetentionDays;
        using (await AcquireLockAsync(cancellationToken).ConfigureAwait(false))
        {
            var recordPath = RecordPath(runId, name);
            if (!overwrite && File.Exists(recordPath))
            {
                return ArtifactUploadResult.Refused(Conflict(name));
            }

            var record = new ArtifactRecord(
                NextId(), runId, name, manifest.Digest, manifest.Size, manifest.Files.Count, createdAt, createdAt.AddDays(days));
            var temporary = TemporaryPath();
            await File.WriteAllBytesAsync(temporary, SerializeRecord(record), cancellationToken).ConfigureAwait(false);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
            File.Move(temporary, recordPath, overwrite: true);
            return new ArtifactUploadResult(record, null);
        }
    }

    /// <summary>The artifacts of a run, in upload order.</summary>
    public IReadOnlyList<ArtifactRecord> ListRun(string runId)
    {
        ValidateRunId(runId);
        var directory = Path.Combine(Directory, "runs", runId);
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(directory, "*.json")
            .Select(ReadRecord)
            .OfType<ArtifactRecord>()
            .OrderBy(r => r.Id)
            .ToArray();
    }

    /// <summary>The artifact named <paramref name="name"/> in run <paramref name="runId"/>, or null.</summary>
    public ArtifactRecord? Find(string runId, string name)
    {
        ValidateRunId(runId);
        return ValidateName(name) is null ? ReadRecord(RecordPath(runId, name)) : null;
    }

    /// <summary>The manifest of the artifact with <paramref name="digest"/>, or null when the store has none.</summary>
    public ArtifactManifest? OpenManifest(string digest)
    {
        if (ContentDigest.Hex(digest) is not { } hex || !File.Exists(ManifestPath(hex)))
        {
            return null;
        }

        var manifest = ArtifactManifest.Parse(File.ReadAllBytes(ManifestPath(hex)));
        return manifest.Digest == digest
            ? manifest
            : throw new InvalidDataException($"The stored manifest of artifact {digest} does not match its digest; the store is damaged.");
    }

    /// <summary>Opens the stored content of one file by its digest (from a manifest entry).</summary>
    public Stream OpenFile(string fileDigest)
    {
        var hex = ContentDigest.Hex(fileDigest) ?? throw new ArgumentException($"'{fileDigest}' is not a sha256 digest.", nameof(fileDigest));
        return new FileStream(BlobPath(hex), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>
    /// Writes the files of artifact <paramref name="digest"/> under <paramref name="destination"/>, replacing
    /// files that are there, with their modes, each checked against its digest. Returns the manifest.
    /// </summary>
    public Task<ArtifactManifest> ExtractAsync(string digest, string destination, CancellationToken cancellationToken = default) =>
        ExtractAsync(digest, destination, null, cancellationToken);

    /// <summary>
    /// <see cref="ExtractAsync(string, string, CancellationToken)"/>; with a <paramref name="confinement"/>, nothing is
    /// written when a file would be written through a link out of the workspace or into the data folder
    /// (<see cref="UnauthorizedAccessException"/> naming it).
    /// </summary>
    internal async Task<ArtifactManifest> ExtractAsync(string digest, string destination, PathConfinement? confinement, CancellationToken cancellationToken)
    {
        var manifest = OpenManifest(digest) ?? throw new InvalidDataException($"The artifact {digest} is not in the store at {Directory}.");
        destination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        var targets = manifest.Files.Select(entry => Path.GetFullPath(Path.Combine(destination, entry.Path))).ToList();
        for (var i = 0; i < targets.Count; i++)
        {
            if (!targets[i].StartsWith(destination + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"The artifact {digest} has a path outside its root: {manifest.Files[i].Path}.");
            }

            // The file itself is replaced, never written through; its directories must not lead elsewhere.
            var real = Path.Join(PathConfinement.RealPath(Path.GetDirectoryName(targets[i])!), Path.GetFileName(targets[i]));
            if (confinement?.Refusal(targets[i], real) is { } reason)
            {
                throw new UnauthorizedAccessException($"{targets[i]} is not written: {reason}.");
            }
        }

        System.IO.Directory.CreateDirectory(destination);
        foreach (var (entry, target) in manifest.Files.Zip(targets))
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
            {
                // Replace rather than write through: the old file may be a link, or read-only.
                File.Delete(target);
            }

            await using (var source = OpenFile(entry.Digest))
            await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var hash = await CopyHashingAsync(source, output, cancellationToken).ConfigureAwait(false);
                if (ContentDigest.FromHash(hash) != entry.Digest)
                {
                    throw new InvalidDataException($"The stored content of '{entry.Path}' in artifact {digest} does not match its digest; the store is damaged.");
                }
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, entry.Executable ? ExecutableMode : RegularMode);
            }
        }

        return manifest;
    }

    private const UnixFileMode RegularMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecutableMode = RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static string Conflict(string name) =>
        $"An artifact named '{name}' already exists in this run and artifacts are immutable; choose another name or set overwrite: true to replace it.";

    private async Task<ArtifactManifestEntry> StoreFileAsync(ArtifactSourceFile file, CancellationToken cancellationToken)
    {
        var temporary = TemporaryPath();
        byte[] hash;
        long size;
        await using (var source = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            // Hash what is copied, not the file as it is later: the blob's name must be its content's digest.
            hash = await CopyHashingAsync(source, output, cancellationToken).ConfigureAwait(false);
            size = output.Length;
        }

        var hex = Convert.ToHexStringLower(hash);
        MoveIntoPlace(temporary, BlobPath(hex));
        var executable = !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(file.FullPath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        return new ArtifactManifestEntry(file.RelativePath, size, executable, ContentDigest.Prefix + hex);
    }

    private static async Task<byte[]> CopyHashingAsync(Stream source, Stream output, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Puts a finished temporary file at its content address, unless the same content is there already.</summary>
    private static void MoveIntoPlace(string temporary, string target)
    {
        if (File.Exists(target))
        {
            File.Delete(temporary);
            return;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload stored the same content at the same moment.
            File.Delete(temporary);
        }
    }

    private long NextId()
    {
        var path = Path.Combine(Directory, "next-id");
        var next = File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
        var temporary = TemporaryPath();
        File.WriteAllText(temporary, (next + 1).ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, path, overwrite: true);
        return next;
    }

    /// <summary>An exclusive lock on the store's records, across threads and processes (flock through FileShare.None).</summary>
    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, "lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Real time on purpose: this polls a lock, it does not measure anything a test would fake.
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private string TemporaryPath()
    {
        var directory = Path.Combine(Directory, "tmp");
        System.IO.Directory.CreateDirectory(directory);
        return Path.Combine(directory, Guid.NewGuid().ToString("N"));
    }

    private string BlobPath(string hex) => Path.Combine(Directory, "blobs", "sha256", hex[..2], hex);

    private string ManifestPath(string hex) => Path.Combine(Directory, "manifests", "sha256", hex + ".json");

    private string RecordPath(string runId, string name) => Path.Combine(Directory, "runs", runId, name + ".json");

    private static void ValidateRunId(string runId)
    {
        if (runId.Length == 0 || runId is "." or ".." || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
        }
    }

    private static byte[] SerializeRecord(ArtifactRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", record.Id);
            writer.WriteString("runId", record.RunId);
            writer.WriteString("name", record.Name);
            writer.WriteString("digest", record.Digest);
            writer.WriteNumber("size", record.Size);
            writer.WriteNumber("fileCount", record.FileCount);
            writer.WriteString("createdAt", record.CreatedAt);
            if (record.ExpiresAt is { } expiresAt)
            {
                writer.WriteString("expiresAt", expiresAt);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ArtifactRecord? ReadRecord(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            return new ArtifactRecord(
                root.GetProperty("id").GetInt64(),
                root.GetProperty("runId").GetString()!,
                root.GetProperty("name").GetString()!,
                root.GetProperty("digest").GetString()!,
                root.GetProperty("size").GetInt64(),
                root.GetProperty("fileCount").GetInt32(),
                root.GetProperty("createdAt").GetDateTimeOffset(),
                root.TryGetProperty("expiresAt", out var expiresAt) ? expiresAt.GetDateTimeOffset() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The artifact record {path} is damaged.", ex);
        }
    }
}
