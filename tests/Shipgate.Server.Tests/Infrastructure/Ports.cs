using System.Net;
using System.Net.Sockets;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>Free TCP ports on the loopback interface.</summary>
internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
