namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Trustworthy gates (issue 7): user names unique without case (<c>alice</c> and <c>Alice</c> are one person; the
/// index refuses a store that holds both, so an upgrade names them rather than guess which is meant); git host
/// logins of users (<c>github:alice</c>, lower-cased, one user each); whether a project's pull-request runs may
/// receive secrets; and the version of the protection rules each deployment passed under (the protected branch's
/// commit, and the rules the run's commit tightened).
/// </summary>
internal static class Migration0005
{
    public static readonly Migration Instance = new(5, "identities, pull-request secrets, the rules a deployment passed", """
        CREATE UNIQUE INDEX users_by_lower_name ON users (LOWER(name));

        CREATE TABLE user_logins (
            login TEXT NOT NULL PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE
        );
        CREATE INDEX user_logins_by_user ON user_logins (user_id);

        ALTER TABLE projects ADD COLUMN pr_secrets TEXT NOT NULL DEFAULT 'none' CHECK (pr_secrets IN ('none', 'users'));

        ALTER TABLE deployments ADD COLUMN rules_sha TEXT;
        ALTER TABLE deployments ADD COLUMN rules_tightened TEXT;
        """);
}
