namespace Shipgate.Server.Api;

/// <summary>The run a dispatch queued.</summary>
public sealed record DispatchResponse(RunResponse Run);
