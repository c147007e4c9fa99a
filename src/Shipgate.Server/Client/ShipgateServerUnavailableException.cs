namespace Shipgate.Server.Client;

/// <summary>No Shipgate server answers at the address (connection refused, unknown host, or timed out).</summary>
public sealed class ShipgateServerUnavailableException(Uri url, Exception inner)
    : Exception($"No Shipgate server is running at {url} (start one with 'shipgate up', or set SHIPGATE_URL).", inner)
{
    public Uri Url { get; } = url;
}
