namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Feature flags (issue #10, ADR 0026): each environment's flag document as one row, with a revision that every change
/// raises (the ETag clients poll with), and the environments' client keys, stored as SHA-256 hashes only.
/// </summary>
internal static class Migration0009
{
    public static readonly Migration Instance = new(9, "flag documents and client keys", """
        CREATE TABLE flag_documents (
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            environment TEXT NOT NULL,
            document TEXT NOT NULL,
            revision BIGINT NOT NULL,
            updated_at {timestamp} NOT NULL,
            PRIMARY KEY (project_id, environment)
        );
        CREATE TABLE flag_client_keys (
            id {id},
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            environment TEXT NOT NULL,
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            revoked_at {timestamp}
        );
        CREATE INDEX flag_client_keys_by_environment ON flag_client_keys (project_id, environment);
        """);
}
