namespace Shipgate.Server.Auth;

/// <summary>
/// Users and their API tokens. Tokens are looked up by the SHA-256 hash of the token: the store never
/// sees a token. Implemented over the store's users and tokens tables; <see cref="InMemoryIdentityStore"/>
/// serves tests and servers without a store.
/// </summary>
internal interface IIdentityStore
{
    Task<bool> AnyUserAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the user; null when a user of that name exists (nothing changes then).</summary>
    Task<UserRecord?> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default);

    Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default);

    Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a token (given as its hash) to the user; null when the user does not exist.</summary>
    Task<TokenRecord?> CreateTokenAsync(string userName, string tokenName, string tokenHash, CancellationToken cancellationToken = default);

    Task<TokenRecord?> GetTokenAsync(long tokenId, CancellationToken cancellationToken = default);

    /// <summary>Revokes the token; false when it does not exist or was revoked already.</summary>
    Task<bool> RevokeTokenAsync(long tokenId, CancellationToken cancellationToken = default);

    /// <summary>The token with this hash and its user, when the token exists and is not revoked; else null.</summary>
    Task<(TokenRecord Token, UserRecord User)?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default);
}
