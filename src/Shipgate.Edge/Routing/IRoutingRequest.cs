namespace Shipgate.Edge.Routing;

/// <summary>
/// What routing reads of a request besides its host: a header's first value and a cookie. Implemented over ASP.NET
/// Core's request and over the proxy's own HTTP/1.1 request head, so both forwarding paths choose alike.
/// </summary>
internal interface IRoutingRequest
{
    /// <summary>The header's first value; null when the request has none.</summary>
    string? Header(string name);

    /// <summary>The cookie's value; null when the request has none.</summary>
    string? Cookie(string name);
}
