using System.Security.Cryptography;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;
using Shipgate.Storage.Users;

namespace Shipgate.Storage.Flags;

/// <summary>
/// Feature flags per project and environment (ADR 0026): each environment's whole flag document in one row with a
/// revision, changed only inside a write transaction that reads it, applies one edit and appends its audit entry; and
/// the client keys that read one environment's flags, stored as SHA-256 hashes only.
/// </summary>
public sealed class FlagStore
{
    /// <summary>What every client key starts with, so the server tells it from a user's API token without a lookup.</summary>
    public const string KeyPrefix = "sgk_";

    private const int PrefixLength = 12;
    private const string KeyColumns = "id, project_id, environment, name, prefix, created_by, created_at, revoked_at";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;

    internal FlagStore(StoreDatabase database, TimeProvider time, AuditLog audit)
    {
        _database = database;
        _time = time;
        _audit = audit;
    }

    /// <summary>The environment's flag document; null when no flag was ever stored for it.</summary>
    public Task<FlagDocumentRecord?> GetDocumentAsync(long projectId, string environment, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => ReadDocumentAsync(session, projectId, environment, cancellationToken), cancellationToken);

    /// <summary>The revision of the environment's document (0 when there is none): a cheap check whether a cached copy is current.</summary>
    public Task<long> GetRevisionAsync(long projectId, string environment, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT COALESCE(MAX(revision), 0) FROM flag_documents WHERE project_id = @project AND environment = @environment")
            .Add("@project", projectId)
            .Add("@environment", environment)
            .Int64Async(cancellationToken), cancellationToken);

    /// <summary>
    /// Reads the environment's document (null when there is none), lets <paramref name="edit"/> decide the new one, and
    /// writes it with its audit entry in the same transaction, raising the revision; nothing is written when the edit
    /// gives no document. Concurrent edits are serialised by the transaction, so none is lost.
    /// </summary>
    public Task<T> EditDocumentAsync<T>(long projectId, string environment, Func<string?, FlagEdit<T>> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return EditRecordAsync(projectId, environment, record => edit(record?.Document), cancellationToken);
    }

    /// <summary>As <see cref="EditDocumentAsync"/>, with the whole stored record (its baseline too) given to <paramref name="edit"/>.</summary>
    public Task<T> EditRecordAsync<T>(long projectId, string environment, Func<FlagDocumentRecord?, FlagEdit<T>> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return _database.WriteAsync(async session =>
        {
            // PostgreSQL reads committed data: without a lock two edits would read the same document and one be lost.
            // The project's row always exists (the environment's may not yet), and flag edits are rare and short.
            await session.Sql($"SELECT id FROM projects WHERE id = @project{session.Dialect.ForUpdate}").Add("@project", projectId)
                .ScalarAsync(cancellationToken).ConfigureAwait(false);
            var current = await ReadDocumentAsync(session, projectId, environment, cancellationToken).ConfigureAwait(false);
            var change = edit(current);
            if (change.Document is null)
            {
                return change.Result;
            }

            await session.Sql("""
                INSERT INTO flag_documents (project_id, environment, document, revision, updated_at, baseline)
                VALUES (@project, @environment, @document, 1, @now, @baseline)
                ON CONFLICT (project_id, environment) DO UPDATE SET document = excluded.document, revision = flag_documents.revision + 1,
                    updated_at = excluded.updated_at, baseline = COALESCE(excluded.baseline, flag_documents.baseline)
                """)
                .Add("@baseline", change.Baseline)
                .Add("@project", projectId)
                .Add("@environment", environment)
                .Add("@document", change.Document)
                .Add("@now", StoreClock.Now(_time))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, change.Audit, cancellationToken).ConfigureAwait(false);
            return change.Result;
        }, cancellationToken);
    }

    /// <summary>Creates a client key for the environment: the key itself is returned once, only its SHA-256 is stored.</summary>
    public Task<CreatedFlagClientKey> CreateKeyAsync(
        long projectId, string environment, string name, string createdBy, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        var key = KeyPrefix + UserStore.Base64Url(RandomNumberGenerator.GetBytes(32));
        return _database.WriteAsync(async session =>
        {
            var record = await session.Sql($"""
                INSERT INTO flag_client_keys (project_id, environment, name, key_hash, prefix, created_by, created_at)
                VALUES (@project, @environment, @name, @hash, @prefix, @by, @now)
                RETURNING {KeyColumns}
                """)
                .Add("@project", projectId)
                .Add("@environment", environment)
                .Add("@name", name)
                .Add("@hash", UserStore.HashToken(key))
                .Add("@prefix", key[..PrefixLength])
                .Add("@by", createdBy)
                .Add("@now", StoreClock.Now(_time))
                .FirstOrDefaultAsync(ReadKey, cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return new CreatedFlagClientKey(key, record!);
        }, cancellationToken);
    }

    /// <summary>The key's record when it exists and is not revoked; otherwise null.</summary>
    public Task<FlagClientKeyRecord?> AuthenticateKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.ReadAsync(session => session.Sql($"SELECT {KeyColumns} FROM flag_client_keys WHERE key_hash = @hash AND revoked_at IS NULL")
            .Add("@hash", UserStore.HashToken(key))
            .FirstOrDefaultAsync(ReadKey, cancellationToken), cancellationToken);
    }

    /// <summary>The environment's client keys, revoked ones too, oldest first.</summary>
    public Task<IReadOnlyList<FlagClientKeyRecord>> ListKeysAsync(long projectId, string environment, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {KeyColumns} FROM flag_client_keys WHERE project_id = @project AND environment = @environment ORDER BY id")
            .Add("@project", projectId)
            .Add("@environment", environment)
            .ListAsync(ReadKey, cancellationToken), cancellationToken);

    /// <summary>Revokes one of the environment's keys; false when it has no such key or it was revoked already.</summary>
    public Task<bool> RevokeKeyAsync(long projectId, string environment, long keyId, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql(
                "UPDATE flag_client_keys SET revoked_at = @now WHERE id = @id AND project_id = @project AND environment = @environment AND revoked_at IS NULL")
            .Add("@now", StoreClock.Now(_time))
            .Add("@id", keyId)
            .Add("@project", projectId)
            .Add("@environment", environment)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    private static Task<FlagDocumentRecord?> ReadDocumentAsync(DbSession session, long projectId, string environment, CancellationToken cancellationToken) =>
        session.Sql("""
                SELECT project_id, environment, document, revision, updated_at, baseline FROM flag_documents
                WHERE project_id = @project AND environment = @environment
                """)
            .Add("@project", projectId)
            .Add("@environment", environment)
            .FirstOrDefaultAsync(row => new FlagDocumentRecord(row.Int64(0), row.String(1), row.String(2), row.Int64(3), row.Time(4), row.NullableString(5)),
                cancellationToken);

    private static FlagClientKeyRecord ReadKey(Row row) =>
        new(row.Int64(0), row.Int64(1), row.String(2), row.String(3), row.String(4), row.String(5), row.Time(6), row.NullableTime(7));
}
