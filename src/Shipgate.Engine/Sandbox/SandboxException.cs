namespace Shipgate.Engine.Sandbox;

/// <summary>The sandbox cannot be set up on this host (bubblewrap missing or refused, no runner user); the message is one sentence.</summary>
public sealed class SandboxException(string message) : Exception(message);
