using Shipgate.Storage.Audit;

namespace Shipgate.Storage.Flags;

/// <summary>
/// What a change made of an environment's flag document: the new document and its audit entry, or nothing to write
/// (<see cref="Document"/> null: a refusal or no change); <see cref="Result"/> is handed back to the caller either way.
/// A <see cref="Baseline"/> replaces the stored one (null keeps it).
/// </summary>
public sealed record FlagEdit<T>(string? Document, NewAuditEntry? Audit, T Result, string? Baseline = null);
