using System.Data.Common;

namespace Shipgate.Storage.Database;

/// <summary>
/// What differs between SQLite and PostgreSQL, and nothing else: column types, locking, timestamps and
/// how a unique violation is reported. Upserts (<c>ON CONFLICT … DO UPDATE … excluded</c>) and
/// <c>RETURNING</c> read the same on both engines, so the SQL is written once.
/// </summary>
internal abstract class SqlDialect
{
    public abstract StoreProvider Provider { get; }

    /// <summary>An auto-assigned 64-bit primary key column type, never reused.</summary>
    protected abstract string IdType { get; }

    protected abstract string TimestampType { get; }

    protected abstract string BoolType { get; }

    protected abstract string BytesType { get; }

    /// <summary>Appended to a <c>SELECT</c> that picks a row to claim: PostgreSQL skips rows another transaction holds.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>Appended to a <c>SELECT</c> whose row the transaction goes on to update.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>A statement that serializes schema migrations between servers sharing the database, or null.</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>
    /// A statement that serializes, until the transaction ends, the writes that decide concurrency groups
    /// (queuing a run into a group, claiming a run) between servers sharing the database, or null when the
    /// engine has one writer anyway (SQLite).
    /// </summary>
    public abstract string? ConcurrencyLock { get; }

    /// <summary>Replaces the type placeholders of the schema (<c>{id}</c>, <c>{timestamp}</c>, <c>{bool}</c>, <c>{bytes}</c>).</summary>
    public string Translate(string ddl) => ddl
        .Replace("{id}", IdType, StringComparison.Ordinal)
        .Replace("{timestamp}", TimestampType, StringComparison.Ordinal)
        .Replace("{bool}", BoolType, StringComparison.Ordinal)
        .Replace("{bytes}", BytesType, StringComparison.Ordinal);

    /// <summary>The parameter type timestamps are bound as.</summary>
    public abstract System.Data.DbType TimestampDbType { get; }

    /// <summary>The parameter value for a timestamp (already truncated to microseconds).</summary>
    public abstract object ToDbTimestamp(DateTimeOffset value);

    public abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    public abstract bool IsUniqueViolation(DbException exception);
}
