namespace Shipgate.Edge.Routing;

/// <summary>What a host name leads to: a service, and whether the host is its preview host.</summary>
internal readonly record struct HostTarget(CompiledService Service, bool Preview);
