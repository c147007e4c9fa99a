namespace Shipgate.Server.Audit;

/// <summary>Audit entries kept in memory: for tests, and for a server started without a store.</summary>
internal sealed class InMemoryAuditTrail : IAuditTrail
{
    private readonly Lock _lock = new();
    private readonly List<AuditRecord> _entries = [];

    public IReadOnlyList<AuditRecord> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(AuditRecord entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }
}
