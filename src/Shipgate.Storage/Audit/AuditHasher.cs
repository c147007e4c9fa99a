using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Shipgate.Storage.Audit;

/// <summary>
/// The canonical form of an audit entry and its hash. The canonical form is the UTF-8 JSON array
/// <c>[1, sequence, at, actor, action, target, reason, before, after, previous hash]</c> with <c>at</c> as
/// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, absent values as <c>null</c>, strings minimally escaped, no
/// whitespace; the hash is its SHA-256 in lower-case hex. Anyone can recompute it from an export.
/// </summary>
internal static class AuditHasher
{
    private const int CanonicalFormVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Hash(long sequence, DateTimeOffset at, string actor, string action, string target, string? reason, string? beforeJson, string? afterJson, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(CanonicalFormVersion);
            writer.WriteNumberValue(sequence);
            writer.WriteStringValue(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            writer.WriteStringValue(actor);
            writer.WriteStringValue(action);
            writer.WriteStringValue(target);
            WriteNullable(writer, reason);
            WriteNullable(writer, beforeJson);
            WriteNullable(writer, afterJson);
            writer.WriteStringValue(previousHash);
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
