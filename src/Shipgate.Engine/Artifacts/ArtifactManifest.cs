using System.Text.Json;

namespace Shipgate.Engine.Artifacts;

/// <summary>
/// The list of an artifact's files. Its canonical JSON form (files sorted by path, fixed key order, no
/// whitespace) is hashed into the artifact's digest, so the same content always gives the same digest.
/// </summary>
public sealed class ArtifactManifest
{
    private const string Schema = "shipgate.artifact.v1";

    public ArtifactManifest(IEnumerable<ArtifactManifestEntry> files)
    {
        Files = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        Bytes = Serialize(Files);
        Digest = ContentDigest.Of(Bytes);
    }

    /// <summary>The files, sorted by path (ordinal).</summary>
    public IReadOnlyList<ArtifactManifestEntry> Files { get; }

    /// <summary><c>sha256:</c> and the hex SHA-256 of the canonical JSON.</summary>
    public string Digest { get; }

    /// <summary>The sum of the files' sizes.</summary>
    public long Size => Files.Sum(f => f.Size);

    /// <summary>The canonical JSON form.</summary>
    internal byte[] Bytes { get; }

    /// <summary>Reads a manifest written by <see cref="Bytes"/>; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static ArtifactManifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("schema").GetString() != Schema)
            {
                throw new InvalidDataException("The artifact manifest has an unknown schema.");
            }

            var files = root.GetProperty("files").EnumerateArray().Select(f => new ArtifactManifestEntry(
                f.GetProperty("path").GetString()!,
                f.GetProperty("size").GetInt64(),
                f.GetProperty("mode").GetString() == "0755",
                f.GetProperty("digest").GetString()!));
            return new ArtifactManifest(files);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException("The artifact manifest is not valid JSON of the expected shape.", ex);
        }
    }

    private static byte[] Serialize(IReadOnlyList<ArtifactManifestEntry> files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", Schema);
            writer.WriteStartArray("files");
            foreach (var file in files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteNumber("size", file.Size);
                writer.WriteString("mode", file.Executable ? "0755" : "0644");
                writer.WriteString("digest", file.Digest);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
