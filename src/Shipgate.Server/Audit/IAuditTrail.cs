namespace Shipgate.Server.Audit;

/// <summary>Appends to the audit log (the store's hash-chained log; <see cref="InMemoryAuditTrail"/> without a store).</summary>
internal interface IAuditTrail
{
    Task AppendAsync(AuditRecord entry, CancellationToken cancellationToken = default);
}
