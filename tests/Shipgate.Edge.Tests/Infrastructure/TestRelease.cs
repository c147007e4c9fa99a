using System.Formats.Tar;
using System.Security.Cryptography;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Edge.Tests.Infrastructure;

/// <summary>
/// A tiny service as an artifact: a python3 script that answers 200 on /health (unless the file <c>sick</c> exists in
/// its HOME) and its SHIPGATE_VERSION on every other path, on the port in PORT. Its tar and manifest digest are made
/// here as shipgate/deploy makes them.
/// </summary>
internal sealed class TestRelease : IDisposable
{
    public const string Script = """
        import http.server, os
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/health" and os.path.exists(os.path.join(os.environ["HOME"], "sick")):
                    self.send_response(503); self.end_headers(); return
                body = (os.environ.get("SHIPGATE_VERSION", "?") + "\n").encode()
                self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def log_message(self, *args): pass
        print("serving on", os.environ["PORT"], flush=True)
        http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
        """;

    private readonly string _directory;

    public TestRelease(IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        _directory = Directory.CreateTempSubdirectory("edge-release-").FullName;
        File.WriteAllText(Path.Combine(_directory, "app.py"), Script);
        foreach (var (name, content) in extraFiles ?? new Dictionary<string, string>())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_directory, name))!);
            File.WriteAllText(Path.Combine(_directory, name), content);
        }

        Digest = DigestOf(_directory);
    }

    public string Digest { get; }

    /// <summary>A tar stream of the files, as shipgate/deploy uploads it.</summary>
    public MemoryStream Tar()
    {
        var tar = new MemoryStream();
        TarFile.CreateFromDirectory(_directory, tar, includeBaseDirectory: false);
        tar.Position = 0;
        return tar;
    }

    public static string DigestOf(string directory) => new ArtifactManifest(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(file =>
        new ArtifactManifestEntry(
            Path.GetRelativePath(directory, file),
            new FileInfo(file).Length,
            (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0,
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))))).Digest;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
