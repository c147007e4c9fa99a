using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Shipgate.Server.Ui;

/// <summary>
/// The UI's own files (CSS, the small script, the icon), embedded in the assembly: nothing is fetched from elsewhere.
/// Each is served with a strong ETag from its content.
/// </summary>
internal static class UiAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type, string ETag)> Files = Load();

    public static IResult Serve(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = file.ETag;
        return context.Request.Headers.IfNoneMatch == file.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(file.Content, file.Type);
    }

    private static Dictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ui/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var type = Path.GetExtension(resource) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[resource["ui/".Length..]] = (content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        return files;
    }
}
