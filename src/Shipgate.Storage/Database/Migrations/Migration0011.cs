namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// The web UI's sign-in (issue #11, ADR 0032): server-side sessions and one-time sign-in links, each stored only as the
/// SHA-256 of its random secret. A session made from an API token names it, so revoking the token ends the session.
/// </summary>
internal static class Migration0011
{
    public static readonly Migration Instance = new(11, "web UI sessions and sign-in links", """
        CREATE TABLE ui_sessions (
            id_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            token_id BIGINT REFERENCES api_tokens (id) ON DELETE CASCADE,
            created_at {timestamp} NOT NULL,
            expires_at {timestamp} NOT NULL,
            last_seen_at {timestamp} NOT NULL
        );
        CREATE INDEX ui_sessions_by_expiry ON ui_sessions (expires_at);
        CREATE TABLE ui_sign_in_links (
            ticket_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            token_id BIGINT REFERENCES api_tokens (id) ON DELETE CASCADE,
            created_at {timestamp} NOT NULL,
            expires_at {timestamp} NOT NULL
        );
        """);
}
