namespace Shipgate.Delivery.Edge;

/// <summary>The edge refused a call: the message is its one-sentence reason, <see cref="StatusCode"/> the HTTP status.</summary>
public sealed class EdgeApiException(int statusCode, string message) : Exception(message)
{
    /// <summary>400 bad input, 401/403 not allowed, 404 unknown service or release, 409 conflict.</summary>
    public int StatusCode { get; } = statusCode;
}
