using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Secrets;

/// <summary>
/// Secrets and variables of a project, for the whole project or one environment. Secret values are
/// AES-256-GCM encrypted with the key file outside the database, each bound to its project,
/// environment and name; the database never sees a plaintext secret or the key.
/// </summary>
public sealed class SecretStore
{
    // An environment-less secret or variable is stored with the empty environment: NULL would not be
    // unique in the primary key.
    private const string ProjectWide = "";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly SecretCipher _cipher;
    private readonly AuditLog _audit;

    internal SecretStore(StoreDatabase database, TimeProvider time, SecretCipher cipher, AuditLog audit)
    {
        _database = database;
        _time = time;
        _cipher = cipher;
        _audit = audit;
    }

    /// <summary>Sets a secret (environment null: the whole project), replacing its value.</summary>
    public Task SetSecretAsync(long projectId, string? environment, string name, string value, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            await session.Sql("""
                INSERT INTO secrets (project_id, environment, name, value, updated_at) VALUES (@project, @environment, @name, @value, @now)
                ON CONFLICT (project_id, environment, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
                .Add("@project", projectId)
                .Add("@environment", environment ?? ProjectWide)
                .Add("@name", name)
                .Add("@value", _cipher.Encrypt(value, Binding(projectId, environment, name)))
                .Add("@now", StoreClock.Now(_time))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Removes a secret; false when there was none.</summary>
    public Task<bool> DeleteSecretAsync(long projectId, string? environment, string name, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        DeleteAsync("secrets", projectId, environment, name, audit, cancellationToken);

    /// <summary>The secrets' names (not values) of the project, with their scope.</summary>
    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(long projectId, CancellationToken cancellationToken = default) =>
        ListAsync("secrets", projectId, cancellationToken);

    /// <summary>
    /// The decrypted secrets a job in <paramref name="environment"/> receives: the project's, with the
    /// environment's own taking precedence. Hand them to a job only after its gates passed.
    /// </summary>
    public Task<IReadOnlyDictionary<string, string>> GetSecretsAsync(long projectId, string? environment, CancellationToken cancellationToken = default) =>
        _database.ReadAsync<IReadOnlyDictionary<string, string>>(async session =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var rows = await session.Sql("SELECT environment, name, value FROM secrets WHERE project_id = @project AND environment IN (@wide, @environment) ORDER BY environment")
                .Add("@project", projectId)
                .Add("@wide", ProjectWide)
                .Add("@environment", environment ?? ProjectWide)
                .ListAsync(row => (Environment: row.String(0), Name: row.String(1), Value: row.NullableBytes(2)!), cancellationToken).ConfigureAwait(false);
            foreach (var (scope, name, sealedValue) in rows)
            {
                // Ordered by environment: the project-wide ('') rows come first, the environment's replace them.
                values[name] = _cipher.Decrypt(sealedValue, Binding(projectId, scope.Length == 0 ? null : scope, name));
            }

            return values;
        }, cancellationToken);

    /// <summary>Sets a variable (environment null: the whole project).</summary>
    public Task SetVariableAsync(long projectId, string? environment, string name, string value, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            await session.Sql("""
                INSERT INTO variables (project_id, environment, name, value, updated_at) VALUES (@project, @environment, @name, @value, @now)
                ON CONFLICT (project_id, environment, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
                .Add("@project", projectId)
                .Add("@environment", environment ?? ProjectWide)
                .Add("@name", name)
                .Add("@value", value)
                .Add("@now", StoreClock.Now(_time))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteVariableAsync(long projectId, string? environment, string name, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        DeleteAsync("variables", projectId, environment, name, audit, cancellationToken);

    public Task<IReadOnlyList<SecretInfo>> ListVariablesAsync(long projectId, CancellationToken cancellationToken = default) =>
        ListAsync("variables", projectId, cancellationToken);

    /// <summary>The variables (the <c>vars</c> context) of a job in <paramref name="environment"/>: the project's, with the environment's own taking precedence.</summary>
    public Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, string? environment, CancellationToken cancellationToken = default) =>
        _database.ReadAsync<IReadOnlyDictionary<string, string>>(async session =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            await session.Sql("SELECT name, value FROM variables WHERE project_id = @project AND environment IN (@wide, @environment) ORDER BY environment")
                .Add("@project", projectId)
                .Add("@wide", ProjectWide)
                .Add("@environment", environment ?? ProjectWide)
                .EachAsync(row =>
                {
                    values[row.String(0)] = row.String(1);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
            return values;
        }, cancellationToken);

    private static string Binding(long projectId, string? environment, string name) =>
        $"secret/{projectId}/{environment ?? ProjectWide}/{name}";

    private Task<bool> DeleteAsync(string table, long projectId, string? environment, string name, NewAuditEntry? audit, CancellationToken cancellationToken) =>
        _audit.WriteAuditedAsync(async session => await session.Sql($"DELETE FROM {table} WHERE project_id = @project AND environment = @environment AND name = @name")
            .Add("@project", projectId)
            .Add("@environment", environment ?? ProjectWide)
            .Add("@name", name)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    private Task<IReadOnlyList<SecretInfo>> ListAsync(string table, long projectId, CancellationToken cancellationToken) =>
        _database.ReadAsync(session => session.Sql($"SELECT environment, name, updated_at FROM {table} WHERE project_id = @project ORDER BY environment, name")
            .Add("@project", projectId)
            .ListAsync(row => new SecretInfo(row.String(0) is { Length: > 0 } scope ? scope : null, row.String(1), row.Time(2)), cancellationToken), cancellationToken);
}
