namespace Shipgate.Engine.Artifacts;

/// <summary>A path a <see cref="FileSearch"/> matched but did not read, and why (<see cref="PathConfinement"/>).</summary>
internal sealed record RefusedPath(string FullPath, string Reason);
