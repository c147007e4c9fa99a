namespace Shipgate.Delivery.Edge;

/// <summary>
/// Where an edge's admin API is: <c>unix:/path/to/admin.sock</c> (the socket's file permissions admit the caller) or
/// <c>http://127.0.0.1:PORT</c> with the bearer token in <see cref="TokenFile"/> (readable only by its owner).
/// </summary>
public sealed record EdgeConnection(string AdminAddress, string? TokenFile = null);
