using Shipgate.Storage.Database;

namespace Shipgate.Storage.Audit;

/// <summary>
/// The tamper-evident audit log: entries are appended, never changed, each hash chained to the one
/// before. A single head row holds the last sequence and hash; appending locks it, so appenders on
/// several servers sharing PostgreSQL take turns and the chain never forks, and entries deleted from
/// the end are detected.
/// </summary>
public sealed class AuditLog
{
    private const string Columns = "sequence, at, actor, action, target, reason, before_json, after_json, prev_hash, hash";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;

    internal AuditLog(StoreDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public Task<AuditEntry> AppendAsync(NewAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _database.WriteAsync(session => AppendAsync(session, entry, cancellationToken), cancellationToken);
    }

    /// <summary>Entries in order, after <paramref name="afterSequence"/>, at or after <paramref name="since"/>, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(long afterSequence = 0, DateTimeOffset? since = null, int limit = 1000, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session
            .Sql($"SELECT {Columns} FROM audit_log WHERE sequence > @after AND at >= @since ORDER BY sequence LIMIT @limit")
            .Add("@after", afterSequence)
            .Add("@since", since ?? DateTimeOffset.UnixEpoch)
            .Add("@limit", Math.Clamp(limit, 1, 10_000))
            .ListAsync(Read, cancellationToken), cancellationToken);

    /// <summary>
    /// Recomputes every entry's hash and link in order: the result names the first entry that was
    /// changed, deleted or reordered in the database, or says the chain is whole.
    /// </summary>
    public Task<AuditVerification> VerifyChainAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async session =>
        {
            long headSequence = 0;
            var headHash = "";
            await session.Sql("SELECT sequence, hash FROM audit_head WHERE id = 1").EachAsync(row =>
            {
                headSequence = row.Int64(0);
                headHash = row.String(1);
                return false;
            }, cancellationToken).ConfigureAwait(false);

            long expected = 1;
            var previousHash = "";
            AuditVerification? failure = null;
            await session.Sql($"SELECT {Columns} FROM audit_log ORDER BY sequence").EachAsync(row =>
            {
                var entry = Read(row);
                failure = Check(entry, expected, previousHash);
                if (failure is not null)
                {
                    return false;
                }

                previousHash = entry.Hash;
                expected++;
                return true;
            }, cancellationToken).ConfigureAwait(false);

            var count = expected - 1;
            if (failure is not null)
            {
                return failure;
            }

            if (headSequence > count)
            {
                return new AuditVerification(count, count + 1, $"Entry {count + 1} is missing: the log ends at entry {count} but entries up to {headSequence} were written.");
            }

            if (headSequence != count || headHash != previousHash)
            {
                return new AuditVerification(count, Math.Max(headSequence, 1), $"The log's head (entry {headSequence}) does not match its last entry {count}.");
            }

            return new AuditVerification(count, null, null);
        }, cancellationToken);

    internal async Task<AuditEntry> AppendAsync(DbSession session, NewAuditEntry entry, CancellationToken cancellationToken)
    {
        long lastSequence = 0;
        var lastHash = "";
        await session.Sql($"SELECT sequence, hash FROM audit_head WHERE id = 1{session.Dialect.ForUpdate}").EachAsync(row =>
        {
            lastSequence = row.Int64(0);
            lastHash = row.String(1);
            return false;
        }, cancellationToken).ConfigureAwait(false);

        var sequence = lastSequence + 1;
        var at = StoreClock.Now(_time);
        var hash = AuditHasher.Hash(sequence, at, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.BeforeJson, entry.AfterJson, lastHash);
        await session.Sql($"INSERT INTO audit_log ({Columns}) VALUES (@sequence, @at, @actor, @action, @target, @reason, @before, @after, @prev, @hash)")
            .Add("@sequence", sequence)
            .Add("@at", at)
            .Add("@actor", entry.Actor)
            .Add("@action", entry.Action)
            .Add("@target", entry.Target)
            .Add("@reason", entry.Reason)
            .Add("@before", entry.BeforeJson)
            .Add("@after", entry.AfterJson)
            .Add("@prev", lastHash)
            .Add("@hash", hash)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await session.Sql("UPDATE audit_head SET sequence = @sequence, hash = @hash WHERE id = 1")
            .Add("@sequence", sequence)
            .Add("@hash", hash)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return new AuditEntry(sequence, at, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.BeforeJson, entry.AfterJson, lastHash, hash);
    }

    /// <summary>
    /// Runs <paramref name="change"/> in a write transaction and, when it reports a change, appends
    /// <paramref name="entry"/> in the same transaction: the change and its audit entry commit together.
    /// </summary>
    internal Task<bool> WriteAuditedAsync(Func<DbSession, Task<bool>> change, NewAuditEntry? entry, CancellationToken cancellationToken) =>
        _database.WriteAsync(async session =>
        {
            var changed = await change(session).ConfigureAwait(false);
            if (changed)
            {
                await AppendIfAnyAsync(session, entry, cancellationToken).ConfigureAwait(false);
            }

            return changed;
        }, cancellationToken);

    /// <summary>Appends <paramref name="entry"/> in the caller's transaction, so a change and its audit entry commit together.</summary>
    internal async Task AppendIfAnyAsync(DbSession session, NewAuditEntry? entry, CancellationToken cancellationToken)
    {
        if (entry is not null)
        {
            await AppendAsync(session, entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private static AuditVerification? Check(AuditEntry entry, long expected, string previousHash)
    {
        var count = expected - 1;
        if (entry.Sequence != expected)
        {
            return entry.Sequence > expected
                ? new AuditVerification(count, expected, $"Entry {expected} is missing: entry {entry.Sequence} follows entry {count}.")
                : new AuditVerification(count, entry.Sequence, $"Entry {entry.Sequence} appears out of order.");
        }

        var hash = AuditHasher.Hash(entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.BeforeJson, entry.AfterJson, entry.PreviousHash);
        if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
        {
            return new AuditVerification(count, entry.Sequence, $"Entry {entry.Sequence} was changed: its content does not match its hash.");
        }

        if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            return new AuditVerification(count, entry.Sequence, $"Entry {entry.Sequence} does not follow entry {count}: entries were reordered or replaced.");
        }

        return null;
    }

    private static AuditEntry Read(Row row) => new(
        row.Int64(0),
        row.Time(1),
        row.String(2),
        row.String(3),
        row.String(4),
        row.NullableString(5),
        row.NullableString(6),
        row.NullableString(7),
        row.String(8),
        row.String(9));
}
