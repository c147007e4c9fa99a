using System.Globalization;
using System.Net;

namespace Shipgate.Edge.Proxy;

/// <summary>A <c>HOST:PORT</c> to listen on: an IP address (IPv6 in brackets), <c>localhost</c> or <c>*</c>, and a port (0: a free one).</summary>
internal static class ListenAddress
{
    public static IPEndPoint Parse(string listen)
    {
        var colon = listen.LastIndexOf(':');
        var host = colon > 0 ? listen[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        IPAddress? address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" => IPAddress.Any,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        if (address is null || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"The listen address '{listen}' is not HOST:PORT (an IP address, localhost or *, and a port).");
        }

        return new IPEndPoint(address, port);
    }
}
