namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>
/// The test services the deployment tests deploy through the edge: Python's threading HTTP server on 127.0.0.1 and the
/// port the edge gives (<c>PORT</c>), keep-alive, quiet. A test writes only what differs: its imports and state, and
/// <c>answer(path)</c>, which returns <c>(status, body bytes, headers dict)</c> for a GET.
/// </summary>
internal static class PythonService
{
    /// <summary>The script: <paramref name="answer"/> (which imports <c>os</c> and defines <c>answer</c>), then the server.</summary>
    public static string Script(string answer) => answer + "\n" + Serve;

    private const string Serve = """
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                status, body, headers = answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """;
}
