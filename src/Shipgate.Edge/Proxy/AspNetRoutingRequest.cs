using Microsoft.AspNetCore.Http;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy;

/// <summary>Routing's view of an ASP.NET Core request.</summary>
internal readonly struct AspNetRoutingRequest(HttpRequest request) : IRoutingRequest
{
    public string? Header(string name) => request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public string? Cookie(string name) => request.Cookies[name];
}
