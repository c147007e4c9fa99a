namespace Shipgate.Engine.Artifacts;

/// <summary>A file, directory or symbolic link that a <see cref="FileSearch"/> found.</summary>
internal sealed record FoundPath(string FullPath, FoundPathKind Kind);
