using Microsoft.Extensions.Logging;

namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Brings the schema to the latest version at start, all pending migrations in one transaction (on
/// PostgreSQL under an advisory lock, so servers starting together migrate once). A schema newer than
/// this code knows is refused: an older server must not write a store it does not understand.
/// </summary>
internal static class Migrator
{
    public static Task<int> MigrateAsync(StoreDatabase database, TimeProvider time, ILogger logger, CancellationToken cancellationToken) =>
        MigrateAsync(database, StoreMigrations.All, time, logger, cancellationToken);

    public static Task<int> MigrateAsync(StoreDatabase database, IReadOnlyList<Migration> migrations, TimeProvider time, ILogger logger, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            if (session.Dialect.MigrationLock is { } migrationLock)
            {
                await session.Sql(migrationLock).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            await session.Sql(session.Dialect.Translate("""
                CREATE TABLE IF NOT EXISTS schema_version (
                    version INTEGER NOT NULL PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at {timestamp} NOT NULL
                )
                """)).ExecuteAsync(cancellationToken).ConfigureAwait(false);

            var applied = new HashSet<int>();
            await session.Sql("SELECT CAST(version AS BIGINT) FROM schema_version").EachAsync(row =>
            {
                applied.Add((int)row.Int64(0));
                return true;
            }, cancellationToken).ConfigureAwait(false);
            var current = applied.Count == 0 ? 0 : applied.Max();
            var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
            if (current > latest)
            {
                throw new StoreException($"The store {database.Description} has schema version {current}, newer than the version {latest} this Shipgate knows: run a newer Shipgate or use another data directory.");
            }

            // Every migration the store lacks, in order, also one older than its newest (two lines of work that each
            // added a migration meet in one store).
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await session.Sql(session.Dialect.Translate(migration.Sql)).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                await session.Sql("INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @at)")
                    .Add("@version", migration.Version)
                    .Add("@description", migration.Description)
                    .Add("@at", StoreClock.Now(time))
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                current = Math.Max(current, migration.Version);
                Log.MigrationApplied(logger, database.Description, migration.Version, migration.Description);
            }

            return current;
        }, cancellationToken);
}
