namespace Shipgate.Server.Api;

/// <summary>A new client key of an environment: what it is for (e.g. the service that uses it).</summary>
public sealed record FlagKeyCreateRequest(string? Name);
