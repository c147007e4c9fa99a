using System.Diagnostics;
using System.Net.Sockets;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy;

/// <summary>A service instance as a real child process: python3's HTTP/1.1 keep-alive server answering its name.</summary>
internal sealed class PythonInstance : IAsyncDisposable
{
    private const string Script = """
        import http.server, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True
            def do_GET(self):
                body = sys.argv[2].encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """;

    private readonly Process _process;

    private PythonInstance(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PythonInstance> StartAsync(string name)
    {
        var port = TestUpstream.DeadPort();
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { "-c", Script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), name },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start; install it with apt-get install python3.");
        var instance = new PythonInstance(process, port);
        await TestTimeouts.EventuallyAsync(async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, TestTimeouts.Ct);
                return "listening";
            }
            catch (SocketException)
            {
                return null;
            }
        }, "python3 to listen on port " + port);
        return instance;
    }

    /// <summary>SIGKILL: the instance crashes, its connections reset.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        _process.Dispose();
    }
}
