namespace Shipgate.Edge.Routing;

/// <summary>A healthy instance that takes traffic: its id (<c>VERSION-N</c>) and its port on 127.0.0.1.</summary>
public sealed record RouteEndpoint(string InstanceId, int Port);
