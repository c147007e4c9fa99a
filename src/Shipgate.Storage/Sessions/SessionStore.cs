using System.Security.Cryptography;
using Shipgate.Storage.Database;
using Shipgate.Storage.Users;

namespace Shipgate.Storage.Sessions;

/// <summary>
/// The web UI's server-side sessions and one-time sign-in links. Only the SHA-256 of each random secret is stored, so a
/// copy of the store signs nobody in. A session is valid while it has not expired, its user is enabled and the API token
/// it was made from (if any) is not revoked: that is checked on every request, so disabling a user or revoking a token
/// ends its sessions at their next request.
/// </summary>
public sealed class SessionStore
{
    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;

    internal SessionStore(StoreDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>
    /// Opens a session for the user of an API token lasting <paramref name="lifetime"/>; the session's secret id (for the
    /// cookie), or null when the token is unknown or revoked or its user disabled.
    /// </summary>
    public Task<string?> SignInWithTokenAsync(string token, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _database.WriteAsync(async session =>
        {
            var owner = await FindTokenOwnerAsync(session, token, cancellationToken).ConfigureAwait(false);
            return owner is { } o ? await InsertSessionAsync(session, o.UserId, o.TokenId, lifetime, cancellationToken).ConfigureAwait(false) : null;
        }, cancellationToken);
    }

    /// <summary>
    /// A one-time sign-in link's secret ticket for <paramref name="userId"/>, valid for <paramref name="lifetime"/>;
    /// <paramref name="tokenId"/> ties the session it opens to that token (null: to the user alone).
    /// </summary>
    public Task<string> CreateSignInTicketAsync(long userId, long? tokenId, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => InsertTicketAsync(session, userId, tokenId, lifetime, cancellationToken), cancellationToken);

    /// <summary>A sign-in ticket for the user of an API token, tied to that token; null when the token does not authenticate.</summary>
    public Task<string?> CreateSignInTicketForTokenAsync(string token, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _database.WriteAsync(async session =>
        {
            var owner = await FindTokenOwnerAsync(session, token, cancellationToken).ConfigureAwait(false);
            return owner is { } o ? await InsertTicketAsync(session, o.UserId, o.TokenId, lifetime, cancellationToken).ConfigureAwait(false) : null;
        }, cancellationToken);
    }

    /// <summary>
    /// Uses a sign-in ticket: it is deleted whatever happens next, so it works once. The new session's secret id, or null
    /// when the ticket is unknown, used, or expired, or its user is disabled or its token revoked.
    /// </summary>
    public Task<string?> RedeemSignInTicketAsync(string ticket, TimeSpan sessionLifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return _database.WriteAsync(async session =>
        {
            var link = (await session.Sql("DELETE FROM ui_sign_in_links WHERE ticket_hash = @hash RETURNING user_id, token_id, expires_at")
                .Add("@hash", Hash(ticket))
                .ListAsync(row => (UserId: row.Int64(0), TokenId: row.NullableInt64(1), ExpiresAt: row.Time(2)), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (link.UserId == 0 || link.ExpiresAt <= StoreClock.Now(_time) || !await IsValidOwnerAsync(session, link.UserId, link.TokenId, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return await InsertSessionAsync(session, link.UserId, link.TokenId, sessionLifetime, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// The user of a session that is still valid (not expired, user enabled, token not revoked), or null. Notes when it was
    /// last seen, at most once a minute.
    /// </summary>
    public async Task<UserRecord?> AuthenticateAsync(string sessionId, UserStore users, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(users);
        var hash = Hash(sessionId);
        var now = StoreClock.Now(_time);
        var found = (await _database.ReadAsync(session => session.Sql("""
            SELECT s.user_id, s.last_seen_at FROM ui_sessions s
            JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
            LEFT JOIN api_tokens t ON t.id = s.token_id
            WHERE s.id_hash = @hash AND s.expires_at > @now AND (s.token_id IS NULL OR t.revoked_at IS NULL)
            """)
            .Add("@hash", hash)
            .Add("@now", now)
            .ListAsync(row => (UserId: row.Int64(0), LastSeen: row.Time(1)), cancellationToken), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (found.UserId == 0)
        {
            return null;
        }

        if (now - found.LastSeen >= TimeSpan.FromMinutes(1))
        {
            await _database.WriteAsync(session => session.Sql("UPDATE ui_sessions SET last_seen_at = @now WHERE id_hash = @hash")
                .Add("@now", now).Add("@hash", hash).ExecuteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return await users.GetUserAsync(found.UserId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a session (sign-out); false when there was none.</summary>
    public Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return _database.WriteAsync(async session => await session.Sql("DELETE FROM ui_sessions WHERE id_hash = @hash")
            .Add("@hash", Hash(sessionId)).ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);
    }

    private async Task<string> InsertTicketAsync(DbSession session, long userId, long? tokenId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var ticket = NewSecret();
        var now = StoreClock.Now(_time);
        await session.Sql("DELETE FROM ui_sign_in_links WHERE expires_at < @now").Add("@now", now).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await session.Sql("""
            INSERT INTO ui_sign_in_links (ticket_hash, user_id, token_id, created_at, expires_at) VALUES (@hash, @user, @token, @now, @expires)
            """)
            .Add("@hash", Hash(ticket))
            .Add("@user", userId)
            .Add("@token", tokenId)
            .Add("@now", now)
            .Add("@expires", now + lifetime)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return ticket;
    }

    private async Task<string> InsertSessionAsync(DbSession session, long userId, long? tokenId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var id = NewSecret();
        var now = StoreClock.Now(_time);
        await session.Sql("DELETE FROM ui_sessions WHERE expires_at < @now").Add("@now", now).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await session.Sql("""
            INSERT INTO ui_sessions (id_hash, user_id, token_id, created_at, expires_at, last_seen_at) VALUES (@hash, @user, @token, @now, @expires, @now)
            """)
            .Add("@hash", Hash(id))
            .Add("@user", userId)
            .Add("@token", tokenId)
            .Add("@now", now)
            .Add("@expires", now + lifetime)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    private static async Task<(long UserId, long TokenId)?> FindTokenOwnerAsync(DbSession session, string token, CancellationToken cancellationToken) =>
        (await session.Sql("""
            SELECT t.user_id, t.id FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND u.disabled_at IS NULL
            """)
            .Add("@hash", UserStore.HashToken(token))
            .ListAsync(row => ((long UserId, long TokenId)?)(row.Int64(0), row.Int64(1)), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    private static async Task<bool> IsValidOwnerAsync(DbSession session, long userId, long? tokenId, CancellationToken cancellationToken) =>
        await session.Sql("""
            SELECT COUNT(*) FROM users u WHERE u.id = @user AND u.disabled_at IS NULL
            AND (@token IS NULL OR EXISTS (SELECT 1 FROM api_tokens t WHERE t.id = @token AND t.user_id = u.id AND t.revoked_at IS NULL))
            """)
            .Add("@user", userId)
            .Add("@token", tokenId)
            .Int64Async(cancellationToken).ConfigureAwait(false) == 1;

    private static string NewSecret() => UserStore.Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string secret) => UserStore.HashToken(secret);
}
