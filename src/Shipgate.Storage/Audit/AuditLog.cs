using System.Globalization;
using Microsoft.Extensions.Logging;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Audit;

/// <summary>
/// The tamper-evident audit log: entries are appended, never changed, each hash chained to the one
/// before and authenticated with the audit key kept outside the database (ADR 0014). A single head row
/// holds the last sequence and hash; appending locks it, so appenders on several servers sharing
/// PostgreSQL take turns and the chain never forks. After each commit the head goes to the checkpoint
/// file, so entries deleted from the end, or a table emptied, are detected too.
/// </summary>
public sealed class AuditLog
{
    private const string Columns = "sequence, at, actor, action, target, reason, before_json, after_json, prev_hash, hash, mac";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly AuditKey _key;
    private readonly AuditCheckpointFile _checkpoints;

    internal AuditLog(StoreDatabase database, TimeProvider time, AuditKey key, AuditCheckpointFile checkpoints)
    {
        _database = database;
        _time = time;
        _key = key;
        _checkpoints = checkpoints;
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

    /// <summary>The entries matching <paramref name="query"/>, newest first.</summary>
    public Task<IReadOnlyList<AuditEntry>> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string> { "sequence < @before", "at >= @from", "at < @to" };
        if (query.Actor is not null)
        {
            conditions.Add("actor = @actor");
        }

        if (query.Action is not null)
        {
            conditions.Add("action = @action");
        }

        if (query.TargetPrefix is not null)
        {
            conditions.Add("target LIKE @target ESCAPE '!'");
        }

        var prefix = query.TargetPrefix?.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);
        return _database.ReadAsync(session => session
            .Sql($"SELECT {Columns} FROM audit_log WHERE {string.Join(" AND ", conditions)} ORDER BY sequence DESC LIMIT @limit")
            .Add("@before", query.BeforeSequence ?? long.MaxValue)
            .Add("@from", query.From ?? DateTimeOffset.UnixEpoch)
            .Add("@to", query.To ?? DateTimeOffset.MaxValue.AddYears(-1))
            .AddIf(query.Actor is not null, "@actor", query.Actor)
            .AddIf(query.Action is not null, "@action", query.Action)
            .AddIf(prefix is not null, "@target", prefix + "%")
            .Add("@limit", Math.Clamp(query.Limit, 1, 1000))
            .ListAsync(Read, cancellationToken), cancellationToken);
    }

    /// <summary>Verifies the log against its hashes, MACs and the checkpoint file (see the other overload).</summary>
    public Task<AuditVerification> VerifyChainAsync(CancellationToken cancellationToken = default) => VerifyChainAsync(null, cancellationToken);

    /// <summary>
    /// Recomputes every entry's hash, link and MAC in order and compares the log with the checkpoint file
    /// and <paramref name="checkpoints"/> (a copy kept elsewhere, or an export's trailer): the result names
    /// the first entry that was changed, deleted, renumbered or rehashed, or the missing tail, or says the
    /// log is whole.
    /// </summary>
    public async Task<AuditVerification> VerifyChainAsync(IReadOnlyList<AuditCheckpoint>? checkpoints, CancellationToken cancellationToken = default)
    {
        // The file before the table: every line read here was written after its entries committed, so the
        // snapshot read next holds them.
        var known = await _checkpoints.ReadAsync(cancellationToken).ConfigureAwait(false);
        var verifier = new AuditVerifier(_key, checkpoints is null ? known : [.. known, .. checkpoints]);
        return await _database.ReadAsync(async session =>
        {
            long headSequence = 0;
            var headHash = "";
            await session.Sql("SELECT sequence, hash FROM audit_head WHERE id = 1").EachAsync(row =>
            {
                headSequence = row.Int64(0);
                headHash = row.String(1);
                return false;
            }, cancellationToken).ConfigureAwait(false);

            var lastHash = "";
            await session.Sql($"SELECT {Columns} FROM audit_log ORDER BY sequence").EachAsync(row =>
            {
                var entry = Read(row);
                lastHash = entry.Hash;
                return verifier.Add(entry);
            }, cancellationToken).ConfigureAwait(false);

            var result = verifier.Finish();
            var count = result.Entries;
            if (!result.IsValid)
            {
                return result;
            }

            if (headSequence > count)
            {
                return new AuditVerification(count, count + 1, $"Entry {count + 1} is missing: the log ends at entry {count} but entries up to {headSequence} were written.");
            }

            if (headSequence != count || headHash != lastHash)
            {
                return new AuditVerification(count, Math.Max(headSequence, 1), $"The log's head (entry {headSequence}) does not match its last entry {count}.");
            }

            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest checkpoint of the checkpoint file (an export's trailer), or null when the log has none yet.</summary>
    public async Task<AuditCheckpoint?> LatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var all = await _checkpoints.ReadAsync(cancellationToken).ConfigureAwait(false);
        return all.Count == 0 ? null : all.MaxBy(c => c.Sequence);
    }

    /// <summary>
    /// On the first start with a key (an upgrade): verifies the entries written without a key, then seals them
    /// with a keyed <c>audit.seal</c> entry that records how many there were and whether their chain was whole
    /// (its previous hash is the last one's). Everything after is keyed. A log whose newest entry lacks a MAC although the
    /// checkpoint file has lines is not sealed again: that is a rewrite, and verify names it.
    /// </summary>
    internal async Task SealUnkeyedAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var unkeyed = await _database.ReadAsync(session => session
            .Sql("SELECT sequence FROM audit_log WHERE sequence = (SELECT MAX(sequence) FROM audit_log) AND mac IS NULL")
            .Int64Async(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (unkeyed == 0)
        {
            return;
        }

        if ((await _checkpoints.ReadAsync(cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            Log.AuditUnkeyedAfterKey(logger, unkeyed, _checkpoints.Path);
            return;
        }

        var before = await VerifyChainAsync(null, cancellationToken).ConfigureAwait(false);
        var reason = before.IsValid
            ? $"the {before.Entries} entries written before the audit key were verified whole and are sealed here"
            : $"the entries written before the audit key were sealed as found; their chain is broken: {before.Problem}";
        var seal = await _database.WriteAsync(async session =>
        {
            // Under the head's lock: of several servers upgrading together, one seals.
            var stillUnkeyed = await session
                .Sql($"SELECT h.sequence FROM audit_head h JOIN audit_log l ON l.sequence = h.sequence WHERE h.id = 1 AND l.mac IS NULL{session.Dialect.ForUpdate}")
                .Int64Async(cancellationToken).ConfigureAwait(false);
            return stillUnkeyed == 0 ? null : await AppendAsync(session, new NewAuditEntry
            {
                Actor = "shipgate",
                Action = "audit.seal",
                Target = string.Create(CultureInfo.InvariantCulture, $"audit/1-{stillUnkeyed}"),
                Reason = reason,
                AfterJson = string.Create(
                    CultureInfo.InvariantCulture, $$"""{"entries":{{stillUnkeyed}},"whole":{{(before.IsValid ? "true" : "false")}}}"""),
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (seal is not null)
        {
            Log.AuditSealed(logger, seal.Sequence - 1, seal.Sequence);
        }
    }

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
        var mac = _key.EntryMac(hash);
        await session.Sql($"INSERT INTO audit_log ({Columns}) VALUES (@sequence, @at, @actor, @action, @target, @reason, @before, @after, @prev, @hash, @mac)")
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
            .Add("@mac", mac)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await session.Sql("UPDATE audit_head SET sequence = @sequence, hash = @hash WHERE id = 1")
            .Add("@sequence", sequence)
            .Add("@hash", hash)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        // Once committed, the head goes to the checkpoint file; of a group commit's entries only the last is written.
        session.AfterCommit(_checkpoints, () => _checkpoints.RecordAsync(sequence, hash));
        return new AuditEntry(
            sequence, at, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.BeforeJson, entry.AfterJson, lastHash, hash, mac);
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
        row.String(9),
        row.NullableString(10));
}
