using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Shipgate.Server.Api;

/// <summary>
/// Refuses API requests whose query or JSON body holds a NUL character (U+0000) with 400 and a sentence,
/// before any endpoint sees them: PostgreSQL cannot store NUL in text, and a name or value with one is a
/// mistake or an attack on whatever reads it later, so both stores refuse it alike. (Kestrel itself
/// refuses a NUL in a URL's path.) Webhooks are left alone: their bodies are signed payloads, read raw.
/// </summary>
internal static class NulCharacterGuard
{
    public const string Detail = "Text in a request must not contain NUL characters (U+0000).";

    public static IApplicationBuilder UseNulCharacterGuard(this IApplicationBuilder app) => app.Use(InvokeAsync);

    private static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (request.Query.Any(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad request", Detail).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength is not 0 && request.HasJsonContentType() && !request.Path.StartsWithSegments("/api/v1/hooks", StringComparison.Ordinal))
        {
            // The body is at most the server's limit (1 MiB by default; Kestrel enforces it while it is read).
            var buffer = new MemoryStream();
            try
            {
                await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await ShipgateEndpoints.WriteStatusProblemAsync(context).ConfigureAwait(false);
                return;
            }

            if (HasNul(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            {
                await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad request", Detail).ConfigureAwait(false);
                return;
            }

            buffer.Position = 0;
            request.Body = buffer;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Whether a string or property name of the JSON has a NUL (written <c>\u0000</c>); malformed JSON is left to the endpoint.</summary>
    private static bool HasNul(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u0000"u8) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
