namespace Shipgate.Storage.Flags;

/// <summary>
/// An environment's flag document as stored, and its revision (raised by every change); <see cref="Baseline"/> is the
/// document of <c>shipgate.yml</c>'s flags last applied to it (null before any).
/// </summary>
public sealed record FlagDocumentRecord(long ProjectId, string Environment, string Document, long Revision, DateTimeOffset UpdatedAt, string? Baseline = null);
