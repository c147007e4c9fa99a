using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;
using Shipgate.Storage.Database.Migrations;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Flags;
using Shipgate.Storage.Insights;
using Shipgate.Storage.Notifications;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Secrets;
using Shipgate.Storage.Triggers;
using Shipgate.Storage.Users;
using Shipgate.Storage.Sessions;

namespace Shipgate.Storage;

/// <summary>
/// The server's durable state, on SQLite or PostgreSQL with one schema. Every mutating method commits
/// before it returns, so what it reports has happened and survives a crash of the process. State
/// changes are compare-and-set: they name the state they expect and report whether they happened.
/// Open one per process and share it; it is safe for concurrent use.
/// </summary>
public sealed class ShipgateStore : IAsyncDisposable
{
    private readonly StoreDatabase _database;

    private ShipgateStore(StoreDatabase database, SecretCipher cipher, AuditLog audit, TimeProvider time, int schemaVersion)
    {
        _database = database;
        SchemaVersion = schemaVersion;
        Audit = audit;
        Projects = new ProjectStore(database, time, cipher, Audit);
        Runs = new RunStore(database, time, Audit);
        Queue = new WorkQueue(database, time, Runs);
        Approvals = new ApprovalStore(database, time, Audit);
        Deployments = new DeploymentStore(database, time, Audit);
        Users = new UserStore(database, time, Audit);
        Secrets = new SecretStore(database, time, cipher, Audit);
        Triggers = new TriggerStore(database, time, Runs);
        Notifications = new NotificationStore(database, time, cipher, Audit);
        Flags = new FlagStore(database, time, Audit);
        Insights = new InsightsStore(database);
        Sessions = new SessionStore(database, time);
    }

    public StoreProvider Provider => _database.Dialect.Provider;

    /// <summary>The schema version after migrating.</summary>
    public int SchemaVersion { get; }

    /// <summary>Where the data is (a file or host/database), for messages; never a password.</summary>
    public string Description => _database.Description;

    public ProjectStore Projects { get; }

    /// <summary>Runs, jobs, steps, their event stream and artifacts.</summary>
    public RunStore Runs { get; }

    /// <summary>Claiming queued runs and jobs with leases, and finding what a crashed runner left.</summary>
    public WorkQueue Queue { get; }

    public ApprovalStore Approvals { get; }

    /// <summary>Environments, releases, deployments, gate decisions and metric snapshots.</summary>
    public DeploymentStore Deployments { get; }

    /// <summary>Users, API tokens and teams.</summary>
    public UserStore Users { get; }

    /// <summary>Secrets (encrypted at rest) and variables per project and environment.</summary>
    public SecretStore Secrets { get; }

    public AuditLog Audit { get; }

    /// <summary>Webhook deliveries and schedule fires, recorded once each.</summary>
    public TriggerStore Triggers { get; }

    /// <summary>Outgoing webhooks (URL and secret encrypted) and the outbox of their notifications.</summary>
    public NotificationStore Notifications { get; }

    /// <summary>Each environment's feature flag document and its client keys.</summary>
    public FlagStore Flags { get; }

    /// <summary>The deployment and approval history the delivery insights are computed from.</summary>
    public InsightsStore Insights { get; }
    /// <summary>The web UI's sessions and one-time sign-in links.</summary>
    public SessionStore Sessions { get; }

    /// <summary>The newest schema version this code knows.</summary>
    public static int LatestSchemaVersion => StoreMigrations.LatestVersion;

    /// <summary>
    /// Opens the store and migrates its schema to <see cref="LatestSchemaVersion"/>. Throws
    /// <see cref="StoreException"/> (one sentence for the user) when the schema is newer than this code
    /// knows, the secret key does not fit, or the database cannot be reached.
    /// </summary>
    public static async Task<ShipgateStore> OpenAsync(StoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var cipher = SecretCipher.LoadOrCreate(options.SecretKeyPath ?? Path.Combine(options.DataDirectory, "secret.key"));
        var auditKey = AuditKey.LoadOrCreate(options.AuditKeyPath ?? Path.Combine(options.DataDirectory, "audit.key"));
        var database = await OpenDatabaseAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            var version = await Migrator.MigrateAsync(database, options.TimeProvider, options.Logger, cancellationToken).ConfigureAwait(false);
            var checkpoints = new AuditCheckpointFile(options.AuditCheckpointPath ?? Path.Combine(options.DataDirectory, "audit.checkpoint"), auditKey, options.TimeProvider, options.Logger);
            var audit = new AuditLog(database, options.TimeProvider, auditKey, checkpoints);
            await audit.SealUnkeyedAsync(options.Logger, cancellationToken).ConfigureAwait(false);
            Log.StoreOpened(options.Logger, database.Description, database.Dialect.Provider, version);
            return new ShipgateStore(database, cipher, audit, options.TimeProvider, version);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    internal StoreDatabase Database => _database;

    private static async Task<StoreDatabase> OpenDatabaseAsync(StoreOptions options, CancellationToken cancellationToken)
    {
        var connection = options.ConnectionString?.Trim();
        if (string.IsNullOrEmpty(connection))
        {
            return await SqliteDatabase.OpenAsync(Path.Combine(options.DataDirectory, "shipgate.db"), options.SqliteSynchronous, cancellationToken).ConfigureAwait(false);
        }

        if (connection.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return await SqliteDatabase.OpenAsync(connection["Data Source=".Length..].Trim(), options.SqliteSynchronous, cancellationToken).ConfigureAwait(false);
        }

        if (PostgresConnectionString.IsPostgres(connection))
        {
            return PostgresDatabase.Open(connection);
        }

        throw new StoreException("The database connection is neither a postgres:// URL, nor an Npgsql string with Host=, nor Data Source=PATH for SQLite.");
    }
}
