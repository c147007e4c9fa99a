using System.Net;

namespace Shipgate.Server.Client;

/// <summary>The server refused a call: its status and the one sentence of its problem+json body.</summary>
public sealed class ShipgateApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
