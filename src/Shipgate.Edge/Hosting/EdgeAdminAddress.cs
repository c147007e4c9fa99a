using System.Globalization;
using System.Net;

namespace Shipgate.Edge.Hosting;

/// <summary>An admin listener's address: a Unix socket's path, or a loopback TCP endpoint.</summary>
internal sealed record EdgeAdminAddress(string? SocketPath, IPEndPoint? Endpoint)
{
    /// <summary>Parses <c>unix:PATH</c> or <c>HOST:PORT</c>; throws <see cref="EdgeStartException"/> with one sentence.</summary>
    public static EdgeAdminAddress Parse(string value)
    {
        if (value.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = value["unix:".Length..];
            return path.Length == 0
                ? throw new EdgeStartException("--admin unix: needs a socket path, e.g. unix:/run/shipgate/admin.sock.")
                : new EdgeAdminAddress(Path.GetFullPath(path), null);
        }

        return new EdgeAdminAddress(null, ParseEndpoint(value, "--admin"));
    }

    /// <summary>Parses <c>HOST:PORT</c> with an IP address for host; port 0 lets the system choose.</summary>
    public static IPEndPoint ParseEndpoint(string value, string option)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(value[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > 65535)
        {
            throw new EdgeStartException($"{option} '{value}' is not an address: give IP:PORT, e.g. 127.0.0.1:8080.");
        }

        return new IPEndPoint(address, port);
    }

    /// <summary>The address a client connects to: <c>unix:PATH</c> or <c>http://IP:PORT</c>.</summary>
    public string ClientAddress(int boundPort) =>
        SocketPath is not null ? "unix:" + SocketPath : $"http://{(Endpoint!.Address.Equals(IPAddress.Any) ? "127.0.0.1" : Endpoint.Address.ToString())}:{boundPort}";
}
