using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Shipgate.Flags;

namespace Shipgate.Server.Flags;

/// <summary>
/// Flags served to applications, under the server's own port: the OpenFeature Remote Evaluation Protocol
/// (<c>POST /ofrep/v1/evaluate/flags/{key}</c> and the bulk <c>POST /ofrep/v1/evaluate/flags</c> with ETag and
/// <c>If-None-Match</c>), and <c>GET /flags/v1/document</c>, the environment's whole document for in-process evaluators.
/// Each request is evaluated against the environment's compiled configuration (<see cref="FlagDocuments"/>), never a
/// parse; errors are the protocol's codes with one sentence.
/// </summary>
internal static class OfrepEndpoints
{
    private const string Json = "application/json";

    public static void Map(WebApplication app)
    {
        app.MapPost("/ofrep/v1/evaluate/flags/{key}", EvaluateAsync).WithTags("Flags");
        app.MapPost("/ofrep/v1/evaluate/flags", EvaluateAllAsync).WithTags("Flags");
        app.MapGet("/flags/v1/document", DocumentAsync).WithTags("Flags");
    }

    private static async Task EvaluateAsync(HttpContext context, string key, FlagReaders readers, FlagDocuments documents)
    {
        if (await ReadRequestAsync(context, key, readers, documents).ConfigureAwait(false) is not var (flags, flagContext, _))
        {
            return;
        }

        if (!flags.Configuration.TryGetType(key, out _))
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, w => WriteError(w, key, "FLAG_NOT_FOUND", $"There is no flag '{key}'.")).ConfigureAwait(false);
            return;
        }

        if (MissingTargetingKey(flags, key, flagContext) is { } missing)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, w => WriteError(w, key, "TARGETING_KEY_MISSING", missing)).ConfigureAwait(false);
            return;
        }

        var evaluation = flags.Configuration.Evaluate(key, flagContext);
        await WriteAsync(context, StatusCodes.Status200OK, w => WriteSuccess(w, key, evaluation)).ConfigureAwait(false);
    }

    private static async Task EvaluateAllAsync(HttpContext context, FlagReaders readers, FlagDocuments documents)
    {
        if (await ReadRequestAsync(context, null, readers, documents).ConfigureAwait(false) is not var (flags, flagContext, body))
        {
            return;
        }

        // The answer depends on the flags and the context only, so their hash is its validator.
        var hash = new byte[SHA256.HashSizeInBytes];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(flags.ETag));
            sha.AppendData(body);
            sha.GetHashAndReset(hash);
        }

        var etag = "\"" + Convert.ToHexStringLower(hash)[..32] + "\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        if (Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("flags");
            foreach (var key in flags.Configuration.Keys.Order(StringComparer.Ordinal))
            {
                if (MissingTargetingKey(flags, key, flagContext) is { } missing)
                {
                    WriteError(w, key, "TARGETING_KEY_MISSING", missing);
                }
                else
                {
                    WriteSuccess(w, key, flags.Configuration.Evaluate(key, flagContext));
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Authenticates an evaluation request and reads its context: the environment's flags, the context and the body;
    /// null when the answer (the refusal or the protocol's error) has been written.
    /// </summary>
    private static async Task<(ServedFlags Flags, FlagContext Context, byte[] Body)?> ReadRequestAsync(
        HttpContext context, string? key, FlagReaders readers, FlagDocuments documents)
    {
        var cancellationToken = context.RequestAborted;
        var reader = await readers.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        if (reader.Refusal is { } refusal)
        {
            await WriteAsync(context, reader.Status, w => WriteError(w, null, "GENERAL", refusal)).ConfigureAwait(false);
            return null;
        }

        var body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var flags = await documents.GetAsync(reader.ProjectId, reader.Environment, cancellationToken).ConfigureAwait(false);
        var flagContext = new FlagContext();
        if (ReadContext(body, flagContext) is { } invalid)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, w => WriteError(w, key, invalid.Code, invalid.Details)).ConfigureAwait(false);
            return null;
        }

        return (flags, flagContext, body);
    }

    private static async Task DocumentAsync(HttpContext context, FlagReaders readers, FlagDocuments documents)
    {
        var cancellationToken = context.RequestAborted;
        var reader = await readers.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        if (reader.Refusal is { } refusal)
        {
            await WriteAsync(context, reader.Status, w => WriteError(w, null, "GENERAL", refusal)).ConfigureAwait(false);
            return;
        }

        var flags = await documents.GetAsync(reader.ProjectId, reader.Environment, cancellationToken).ConfigureAwait(false);
        context.Response.Headers.ETag = flags.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (Matches(context.Request.Headers.IfNoneMatch, flags.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = Json;
        context.Response.ContentLength = flags.Document.Length;
        await context.Response.Body.WriteAsync(flags.Document, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the request's <c>context</c> into <paramref name="context"/>: strings as they are, numbers and booleans as
    /// their text (the evaluator compares strings, parsing numbers, versions and dates itself), nulls as absent,
    /// <c>currentTime</c> as the time of date constraints. The protocol's error when the body or the context is malformed.
    /// </summary>
    private static (string Code, string Details)? ReadContext(byte[] body, FlagContext context)
    {
        if (body.Length == 0)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return ("PARSE_ERROR", $"The request body is not JSON (line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ("PARSE_ERROR", "The request body must be a JSON object like {\"context\":{\"targetingKey\":\"user-1\"}}.");
            }

            if (!document.RootElement.TryGetProperty("context", out var attributes) || attributes.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (attributes.ValueKind != JsonValueKind.Object)
            {
                return ("INVALID_CONTEXT", "The context must be a JSON object of attributes.");
            }

            foreach (var attribute in attributes.EnumerateObject())
            {
                var value = attribute.Value;
                if (attribute.Name == "targetingKey" && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return ("INVALID_CONTEXT", "The context's targetingKey must be a string.");
                }

                if (attribute.Name == "currentTime" && value.ValueKind != JsonValueKind.Null)
                {
                    if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var now))
                    {
                        return ("INVALID_CONTEXT", "The context's currentTime must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z.");
                    }

                    context.CurrentTime = now;
                    continue;
                }

                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        context.Set(attribute.Name, value.GetString());
                        break;
                    case JsonValueKind.Number:
                        context.Set(attribute.Name, value.GetDouble());
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        context.Set(attribute.Name, value.ValueKind == JsonValueKind.True ? "true" : "false");
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        return ("INVALID_CONTEXT", $"The context attribute '{attribute.Name}' is {(value.ValueKind == JsonValueKind.Array ? "a list" : "an object")}; "
                            + "flags compare strings, numbers, booleans and dates.");
                }
            }
        }

        return null;
    }

    private static string? MissingTargetingKey(ServedFlags flags, string key, FlagContext context) =>
        context.TargetingKey is null && context.SessionId is null && flags.NeedTargetingKey.Contains(key)
            ? $"The flag '{key}' has a percentage rollout, which needs the context's targetingKey (or sessionId) to answer the same every time."
            : null;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static bool Matches(StringValues ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            foreach (var candidate in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (candidate == etag || candidate == "*")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void WriteSuccess(Utf8JsonWriter writer, string key, FlagEvaluation<JsonElement> evaluation)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WritePropertyName("value");
        evaluation.Value.WriteTo(writer);
        writer.WriteString("reason", FlagNames.Reason(evaluation.Reason));
        if (evaluation.Variant is { } variant)
        {
            writer.WriteString("variant", variant);
        }

        writer.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter writer, string? key, string code, string details)
    {
        writer.WriteStartObject();
        if (key is not null)
        {
            writer.WriteString("key", key);
        }

        writer.WriteString("errorCode", code);
        writer.WriteString("errorDetails", details);
        writer.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = Json;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
