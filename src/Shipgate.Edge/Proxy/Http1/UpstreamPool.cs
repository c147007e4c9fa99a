using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>
/// Idle keep-alive connections to one instance's port, last in first out. A connection the instance closed while
/// idle (or that has bytes nobody asked for) is noticed when rented and thrown away; ones idle past the idle timeout
/// are closed by <see cref="Evict"/>.
/// </summary>
internal sealed class UpstreamPool(int port, SocketConnectionContextFactory factory)
{
    /// <summary>Most idle connections kept per instance; more are closed when returned.</summary>
    private const int MaxIdle = 256;

    private readonly Stack<(ConnectionContext Connection, long IdleSince)> _idle = new();
    private readonly IPEndPoint _endpoint = new(IPAddress.Loopback, port);

    /// <summary>An idle connection that still looks usable, or null.</summary>
    public ConnectionContext? Rent()
    {
        while (true)
        {
            ConnectionContext connection;
            lock (_idle)
            {
                if (!_idle.TryPop(out var idle))
                {
                    return null;
                }

                connection = idle.Connection;
            }

            // Kestrel's transport reads ahead: an idle connection with something to read was closed (or is misbehaving).
            if (!connection.Transport.Input.TryRead(out _))
            {
                return connection;
            }

            Close(connection);
        }
    }

    /// <summary>A new connection; throws <see cref="SocketException"/> when the instance refuses it, or on the timeout.</summary>
    public async Task<ConnectionContext> ConnectAsync(TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await socket.ConnectAsync(_endpoint, cancel.Token);
            return factory.Create(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Return(ConnectionContext connection)
    {
        lock (_idle)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Push((connection, Environment.TickCount64));
                return;
            }
        }

        Close(connection);
    }

    /// <summary>Closes the connections idle since before <paramref name="before"/> (<see cref="Environment.TickCount64"/>).</summary>
    public void Evict(long before)
    {
        List<ConnectionContext> stale;
        lock (_idle)
        {
            if (!_idle.Any(i => i.IdleSince < before))
            {
                return;
            }

            var kept = _idle.Where(i => i.IdleSince >= before).Reverse().ToArray();
            stale = [.. _idle.Where(i => i.IdleSince < before).Select(i => i.Connection)];
            _idle.Clear();
            foreach (var item in kept)
            {
                _idle.Push(item);
            }
        }

        stale.ForEach(Close);
    }

    public static void Close(ConnectionContext connection)
    {
        connection.Abort();
        _ = connection.DisposeAsync().AsTask();
    }
}
