namespace Shipgate.Storage.Flags;

/// <summary>An environment's flag document as stored, and its revision (raised by every change).</summary>
public sealed record FlagDocumentRecord(long ProjectId, string Environment, string Document, long Revision, DateTimeOffset UpdatedAt);
