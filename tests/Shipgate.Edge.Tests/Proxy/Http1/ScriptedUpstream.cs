using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy.Http1;

/// <summary>
/// An instance that speaks raw HTTP/1.1 bytes: it reads each request's head (and a Content-Length body), records
/// them with the connection they came on (a body by Content-Length or chunked), and writes what <c>answer</c> returns for it, byte for byte, closing the
/// connection afterwards when the answer says so (<see cref="Answer.Close"/>).
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, Answer> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public ScriptedUpstream(Func<string, Answer> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Each request as it came: the connection's number (from 1), its head and its body.</summary>
    public ConcurrentQueue<(int Connection, string Head, string Body)> Received { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(socket, Interlocked.Increment(ref _connections));
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        var reader = new RawHttpReader(stream);
        try
        {
            while (await reader.ReadHeadAsync(_stop.Token) is { } head)
            {
                var body = await reader.ReadBodyAsync(head, untilClose: false, _stop.Token);
                Received.Enqueue((connection, head, body));
                var answer = _answer(head);
                await stream.WriteAsync(Encoding.Latin1.GetBytes(answer.Bytes), _stop.Token);
                if (answer.Close)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.WaitAsync(TestTimeouts.Default);
        _stop.Dispose();
    }

    public sealed record Answer(string Bytes, bool Close = false)
    {
        public static Answer Ok(string body, string headers = "") =>
            new($"HTTP/1.1 200 OK\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{headers}\r\n{body}");
    }
}
