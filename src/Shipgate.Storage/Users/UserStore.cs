using System.Security.Cryptography;
using System.Text;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Users;

/// <summary>Users, their API tokens (stored as SHA-256 hashes only) and teams.</summary>
public sealed class UserStore
{
    private const string TokenPrefix = "sg_";
    private const int PrefixLength = 10;
    private const string UserColumns = "id, name, role, environments_json, created_at, disabled_at";
    private const string TokenColumns = "id, user_id, name, prefix, created_at, revoked_at";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;

    internal UserStore(StoreDatabase database, TimeProvider time, AuditLog audit)
    {
        _database = database;
        _time = time;
        _audit = audit;
    }

    /// <summary>Adds a user; null (nothing changes) when the name (ignoring case), or one of the emails or logins, belongs to another user.</summary>
    public Task<UserRecord?> CreateUserAsync(NewUser user, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var emails = user.Emails.Select(NormalizeEmail).Distinct(StringComparer.Ordinal).ToList();
        var logins = user.Logins.Select(NormalizeLogin).Distinct(StringComparer.Ordinal).ToList();
        return _database.WriteAsync(async session =>
        {
            if (await session.Sql("SELECT COUNT(*) FROM users WHERE LOWER(name) = LOWER(@name)").Add("@name", user.Name).Int64Async(cancellationToken).ConfigureAwait(false) > 0)
            {
                return null;
            }

            foreach (var email in emails)
            {
                if (await IsTakenAsync(session, "user_emails", "email", email, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }

            foreach (var login in logins)
            {
                if (await IsTakenAsync(session, "user_logins", "login", login, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }

            var created = await session.Sql($"""
                INSERT INTO users (name, role, environments_json, created_at) VALUES (@name, @role, @environments, @now)
                ON CONFLICT (name) DO NOTHING
                RETURNING {UserColumns}
                """)
                .Add("@name", user.Name)
                .Add("@role", DbText.Of(user.Role))
                .Add("@environments", JsonText.FromList(user.Environments))
                .Add("@now", StoreClock.Now(_time))
                .FirstOrDefaultAsync(row => ReadUser(row, emails), cancellationToken).ConfigureAwait(false);
            if (created is null)
            {
                return null;
            }

            foreach (var email in emails)
            {
                await session.Sql("INSERT INTO user_emails (email, user_id) VALUES (@email, @user)").Add("@email", email).Add("@user", created.Id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var login in logins)
            {
                await session.Sql("INSERT INTO user_logins (login, user_id) VALUES (@login, @user)").Add("@login", login).Add("@user", created.Id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return created with { Logins = logins };
        }, cancellationToken);
    }

    /// <summary>The user named <paramref name="name"/>, ignoring case (names are unique without it), or null.</summary>
    public Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => ReadUserAsync(session, "LOWER(name) = LOWER(@key)", name, null, cancellationToken), cancellationToken);

    public Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => ReadUserAsync(session, "id = @key", null, userId, cancellationToken), cancellationToken);

    /// <summary>The user a commit author's email belongs to (case-insensitive), or null.</summary>
    public Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => ReadUserAsync(session, "id = (SELECT user_id FROM user_emails WHERE email = @key)", NormalizeEmail(email), null, cancellationToken), cancellationToken);

    /// <summary>The user a git host login (<c>github:alice</c>, case-insensitive) belongs to, or null.</summary>
    public Task<UserRecord?> FindUserByLoginAsync(string login, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => ReadUserAsync(session, "id = (SELECT user_id FROM user_logins WHERE login = @key)", NormalizeLogin(login), null, cancellationToken), cancellationToken);

    /// <summary>Maps another commit email to the user; <see cref="IdentityChange.Taken"/> when it belongs to a user already.</summary>
    public Task<IdentityChange> AddEmailAsync(long userId, string email, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        AddIdentityAsync("user_emails", "email", userId, NormalizeEmail(email), audit, cancellationToken);

    /// <summary>Removes one of the user's emails; <see cref="IdentityChange.NotFound"/> when the user does not have it.</summary>
    public Task<IdentityChange> RemoveEmailAsync(long userId, string email, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        RemoveIdentityAsync("user_emails", "email", userId, NormalizeEmail(email), audit, cancellationToken);

    /// <summary>Maps a git host login (<c>github:alice</c>) to the user; <see cref="IdentityChange.Taken"/> when it belongs to a user already.</summary>
    public Task<IdentityChange> AddLoginAsync(long userId, string login, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        AddIdentityAsync("user_logins", "login", userId, NormalizeLogin(login), audit, cancellationToken);

    /// <summary>Removes one of the user's logins; <see cref="IdentityChange.NotFound"/> when the user does not have it.</summary>
    public Task<IdentityChange> RemoveLoginAsync(long userId, string login, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        RemoveIdentityAsync("user_logins", "login", userId, NormalizeLogin(login), audit, cancellationToken);

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async session =>
        {
            var emails = new Dictionary<long, List<string>>();
            await session.Sql("SELECT user_id, email FROM user_emails ORDER BY email").EachAsync(row =>
            {
                if (!emails.TryGetValue(row.Int64(0), out var list))
                {
                    emails[row.Int64(0)] = list = [];
                }

                list.Add(row.String(1));
                return true;
            }, cancellationToken).ConfigureAwait(false);
            var logins = new Dictionary<long, List<string>>();
            await session.Sql("SELECT user_id, login FROM user_logins ORDER BY login").EachAsync(row =>
            {
                if (!logins.TryGetValue(row.Int64(0), out var list))
                {
                    logins[row.Int64(0)] = list = [];
                }

                list.Add(row.String(1));
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return await session.Sql($"SELECT {UserColumns} FROM users ORDER BY name")
                .ListAsync(row => ReadUser(row, emails.TryGetValue(row.Int64(0), out var list) ? list : []) with
                {
                    Logins = logins.TryGetValue(row.Int64(0), out var own) ? own : [],
                }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Changes a user's role and environment scope; false when there is no such user.</summary>
    public Task<bool> SetRoleAsync(long userId, UserRole role, IReadOnlyList<string> environments, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("UPDATE users SET role = @role, environments_json = @environments WHERE id = @id")
            .Add("@role", DbText.Of(role))
            .Add("@environments", JsonText.FromList(environments))
            .Add("@id", userId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    /// <summary>Disables (or enables again) a user: a disabled user's tokens no longer authenticate. False when there is no such user.</summary>
    public Task<bool> SetDisabledAsync(long userId, bool disabled, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("UPDATE users SET disabled_at = @at WHERE id = @id")
            .Add("@at", disabled ? StoreClock.Now(_time) : (DateTimeOffset?)null)
            .Add("@id", userId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    /// <summary>Creates an API token for the user: the token itself is returned once, only its SHA-256 is stored.</summary>
    public Task<CreatedToken> CreateTokenAsync(long userId, string name, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return _database.WriteAsync(async session =>
        {
            var record = await session.Sql($"""
                INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (@user, @name, @hash, @prefix, @now)
                RETURNING {TokenColumns}
                """)
                .Add("@user", userId)
                .Add("@name", name)
                .Add("@hash", HashToken(token))
                .Add("@prefix", token[..PrefixLength])
                .Add("@now", StoreClock.Now(_time))
                .FirstOrDefaultAsync(ReadToken, cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return new CreatedToken(token, record!);
        }, cancellationToken);
    }

    /// <summary>The user a token belongs to, when the token exists, is not revoked and its user is not disabled; otherwise null.</summary>
    public Task<UserRecord?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _database.ReadAsync(session => ReadUserAsync(session, "disabled_at IS NULL AND id = (SELECT user_id FROM api_tokens WHERE token_hash = @key AND revoked_at IS NULL)", HashToken(token), null, cancellationToken), cancellationToken);
    }

    /// <summary>Revokes a token; false when it does not exist or was revoked already.</summary>
    public Task<bool> RevokeTokenAsync(long tokenId, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL")
            .Add("@now", StoreClock.Now(_time))
            .Add("@id", tokenId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    public Task<IReadOnlyList<ApiTokenRecord>> ListTokensAsync(long userId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {TokenColumns} FROM api_tokens WHERE user_id = @user ORDER BY id").Add("@user", userId).ListAsync(ReadToken, cancellationToken), cancellationToken);

    /// <summary>Creates a team; false when one of that name exists.</summary>
    public Task<bool> CreateTeamAsync(string name, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("INSERT INTO teams (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING")
            .Add("@name", name)
            .Add("@now", StoreClock.Now(_time))
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    /// <summary>Adds a user to a team; false when the team or user does not exist or the user is a member already.</summary>
    public Task<bool> AddTeamMemberAsync(string team, string user, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("""
            INSERT INTO team_members (team_id, user_id)
            SELECT t.id, u.id FROM teams t, users u WHERE t.name = @team AND u.name = @user
            ON CONFLICT (team_id, user_id) DO NOTHING
            """)
            .Add("@team", team)
            .Add("@user", user)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    /// <summary>Removes a user from a team; false when they were not a member.</summary>
    public Task<bool> RemoveTeamMemberAsync(string team, string user, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("""
            DELETE FROM team_members
            WHERE team_id = (SELECT id FROM teams WHERE name = @team) AND user_id = (SELECT id FROM users WHERE name = @user)
            """)
            .Add("@team", team)
            .Add("@user", user)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    /// <summary>The names of a team's members, sorted (empty when the team does not exist).</summary>
    public Task<IReadOnlyList<string>> ListTeamMembersAsync(string team, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("""
            SELECT u.name FROM team_members m JOIN teams t ON t.id = m.team_id JOIN users u ON u.id = m.user_id
            WHERE t.name = @team ORDER BY u.name
            """)
            .Add("@team", team)
            .ListAsync(row => row.String(0), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> ListTeamsAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT name FROM teams ORDER BY name").ListAsync(row => row.String(0), cancellationToken), cancellationToken);

    internal static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private static string NormalizeLogin(string login) => login.Trim().ToLowerInvariant();

    private static async Task<bool> IsTakenAsync(DbSession session, string table, string column, string key, CancellationToken cancellationToken) =>
        await session.Sql($"SELECT COUNT(*) FROM {table} WHERE {column} = @key").Add("@key", key).Int64Async(cancellationToken).ConfigureAwait(false) > 0;

    private Task<IdentityChange> AddIdentityAsync(string table, string column, long userId, string key, NewAuditEntry? audit, CancellationToken cancellationToken) =>
        _database.WriteAsync(async session =>
        {
            if (await session.Sql("SELECT COUNT(*) FROM users WHERE id = @id").Add("@id", userId).Int64Async(cancellationToken).ConfigureAwait(false) == 0)
            {
                return IdentityChange.NotFound;
            }

            if (await IsTakenAsync(session, table, column, key, cancellationToken).ConfigureAwait(false))
            {
                return IdentityChange.Taken;
            }

            await session.Sql($"INSERT INTO {table} ({column}, user_id) VALUES (@key, @user)").Add("@key", key).Add("@user", userId).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return IdentityChange.Applied;
        }, cancellationToken);

    private Task<IdentityChange> RemoveIdentityAsync(string table, string column, long userId, string key, NewAuditEntry? audit, CancellationToken cancellationToken) =>
        _database.WriteAsync(async session =>
        {
            if (await session.Sql($"DELETE FROM {table} WHERE {column} = @key AND user_id = @user").Add("@key", key).Add("@user", userId).ExecuteAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return IdentityChange.NotFound;
            }

            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return IdentityChange.Applied;
        }, cancellationToken);

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<UserRecord?> ReadUserAsync(DbSession session, string condition, string? textKey, long? idKey, CancellationToken cancellationToken)
    {
        var command = session.Sql($"SELECT {UserColumns} FROM users WHERE {condition}");
        var user = await (textKey is not null ? command.Add("@key", textKey) : command.Add("@key", idKey))
            .FirstOrDefaultAsync(row => ReadUser(row, []), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var emails = await session.Sql("SELECT email FROM user_emails WHERE user_id = @id ORDER BY email").Add("@id", user.Id).ListAsync(row => row.String(0), cancellationToken).ConfigureAwait(false);
        var logins = await session.Sql("SELECT login FROM user_logins WHERE user_id = @id ORDER BY login").Add("@id", user.Id).ListAsync(row => row.String(0), cancellationToken).ConfigureAwait(false);
        return user with { Emails = emails, Logins = logins };
    }

    private static UserRecord ReadUser(Row row, IReadOnlyList<string> emails) =>
        new(row.Int64(0), row.String(1), DbText.ToUserRole(row.String(2)), emails, JsonText.ToList(row.String(3)), row.Time(4), row.NullableTime(5));

    private static ApiTokenRecord ReadToken(Row row) => new(row.Int64(0), row.Int64(1), row.String(2), row.String(3), row.Time(4), row.NullableTime(5));
}
