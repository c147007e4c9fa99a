using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;
using Shipgate.Storage.Secrets;

namespace Shipgate.Storage.Projects;

/// <summary>Projects: the repositories Shipgate watches. Removing one removes its runs, environments, secrets and deployments (the audit log keeps what happened).</summary>
public sealed class ProjectStore
{
    private const string Columns = "id, name, repository, default_branch, webhook_secret IS NOT NULL, created_at, pr_secrets";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly SecretCipher _cipher;
    private readonly AuditLog _audit;

    internal ProjectStore(StoreDatabase database, TimeProvider time, SecretCipher cipher, AuditLog audit)
    {
        _database = database;
        _time = time;
        _cipher = cipher;
        _audit = audit;
    }

    /// <summary>Adds a project; null when a project of that name exists (nothing changes then).</summary>
    public Task<ProjectRecord?> CreateAsync(NewProject project, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return _database.WriteAsync(async session =>
        {
            var created = await session.Sql($"""
                INSERT INTO projects (name, repository, default_branch, created_at, pr_secrets) VALUES (@name, @repository, @branch, @at, @prSecrets)
                ON CONFLICT (name) DO NOTHING
                RETURNING {Columns}
                """)
                .Add("@name", project.Name)
                .Add("@repository", project.Repository)
                .Add("@branch", project.DefaultBranch)
                .Add("@at", StoreClock.Now(_time))
                .Add("@prSecrets", PullRequestSecretsText(project.PullRequestSecrets))
                .FirstOrDefaultAsync(Read, cancellationToken).ConfigureAwait(false);
            if (created is null)
            {
                return null;
            }

            if (project.WebhookSecret is not null)
            {
                await WriteWebhookSecretAsync(session, created.Id, project.WebhookSecret, cancellationToken).ConfigureAwait(false);
                created = created with { HasWebhookSecret = true };
            }

            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    public Task<ProjectRecord?> GetAsync(long projectId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {Columns} FROM projects WHERE id = @id").Add("@id", projectId).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    public Task<ProjectRecord?> GetByNameAsync(string name, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {Columns} FROM projects WHERE name = @name").Add("@name", name).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ProjectRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {Columns} FROM projects ORDER BY name").ListAsync(Read, cancellationToken), cancellationToken);

    /// <summary>The project's webhook secret, decrypted, or null when it has none (or the project does not exist).</summary>
    public Task<string?> GetWebhookSecretAsync(long projectId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async session =>
        {
            var sealedValue = (byte[]?)await session.Sql("SELECT webhook_secret FROM projects WHERE id = @id").Add("@id", projectId).ScalarAsync(cancellationToken).ConfigureAwait(false);
            return sealedValue is null ? null : _cipher.Decrypt(sealedValue, WebhookSecretBinding(projectId));
        }, cancellationToken);

    /// <summary>Sets (or with null, removes) the webhook secret; false when the project does not exist.</summary>
    public Task<bool> SetWebhookSecretAsync(long projectId, string? secret, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => secret is null
            ? await session.Sql("UPDATE projects SET webhook_secret = NULL WHERE id = @id").Add("@id", projectId).ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1
            : await WriteWebhookSecretAsync(session, projectId, secret, cancellationToken).ConfigureAwait(false), audit, cancellationToken);

    /// <summary>Removes the project and everything that belongs to it; false when it does not exist.</summary>
    public Task<bool> DeleteAsync(long projectId, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("DELETE FROM projects WHERE id = @id").Add("@id", projectId).ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    private static string WebhookSecretBinding(long projectId) => $"project/{projectId}/webhook-secret";

    private async Task<bool> WriteWebhookSecretAsync(DbSession session, long projectId, string secret, CancellationToken cancellationToken) =>
        await session.Sql("UPDATE projects SET webhook_secret = @secret WHERE id = @id")
            .Add("@secret", _cipher.Encrypt(secret, WebhookSecretBinding(projectId)))
            .Add("@id", projectId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Sets whether the project's pull-request runs may receive secrets; false when the project does not exist.</summary>
    public Task<bool> SetPullRequestSecretsAsync(long projectId, PullRequestSecrets value, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("UPDATE projects SET pr_secrets = @value WHERE id = @id")
            .Add("@value", PullRequestSecretsText(value))
            .Add("@id", projectId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    private static string PullRequestSecretsText(PullRequestSecrets value) => value == PullRequestSecrets.Users ? "users" : "none";

    private static ProjectRecord Read(Row row) => new(row.Int64(0), row.String(1), row.String(2), row.String(3), row.Bool(4), row.Time(5))
    {
        PullRequestSecrets = row.String(6) == "users" ? PullRequestSecrets.Users : PullRequestSecrets.None,
    };
}
