namespace Shipgate.Server.Auth;

/// <summary>Users and token hashes in memory: for tests, and for a server started without a store (lost at exit).</summary>
internal sealed class InMemoryIdentityStore(TimeProvider time) : IIdentityStore
{
    private readonly Lock _lock = new();
    private readonly List<UserRecord> _users = [];
    private readonly List<(TokenRecord Token, string Hash)> _tokens = [];

    public Task<bool> AnyUserAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_users.Count > 0);
        }
    }

    public Task<UserRecord?> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_users.Any(u => string.Equals(u.Name, user.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return Task.FromResult<UserRecord?>(null);
            }

            var record = new UserRecord(_users.Count + 1, user.Name, user.Emails, user.Role, user.Environments, time.GetUtcNow());
            _users.Add(record);
            return Task.FromResult<UserRecord?>(record);
        }
    }

    public Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(FindUser(name));
        }
    }

    public Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_users.FirstOrDefault(u => u.Emails.Contains(email, StringComparer.OrdinalIgnoreCase)));
        }
    }

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<UserRecord>>([.. _users]);
        }
    }

    public Task<TokenRecord?> CreateTokenAsync(string userName, string tokenName, string tokenHash, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (FindUser(userName) is not { } user)
            {
                return Task.FromResult<TokenRecord?>(null);
            }

            var token = new TokenRecord(_tokens.Count + 1, user.Name, tokenName, time.GetUtcNow(), null);
            _tokens.Add((token, tokenHash));
            return Task.FromResult<TokenRecord?>(token);
        }
    }

    public Task<TokenRecord?> GetTokenAsync(long tokenId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_tokens.Where(t => t.Token.Id == tokenId).Select(t => t.Token).FirstOrDefault());
        }
    }

    public Task<bool> RevokeTokenAsync(long tokenId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _tokens.FindIndex(t => t.Token.Id == tokenId && t.Token.RevokedAt is null);
            if (index < 0)
            {
                return Task.FromResult(false);
            }

            _tokens[index] = (_tokens[index].Token with { RevokedAt = time.GetUtcNow() }, _tokens[index].Hash);
            return Task.FromResult(true);
        }
    }

    public Task<(TokenRecord Token, UserRecord User)?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var (token, hash) in _tokens)
            {
                if (token.RevokedAt is null && ApiTokens.HashesEqual(hash, tokenHash) && FindUser(token.UserName) is { } user)
                {
                    return Task.FromResult<(TokenRecord, UserRecord)?>((token, user));
                }
            }

            return Task.FromResult<(TokenRecord, UserRecord)?>(null);
        }
    }

    private UserRecord? FindUser(string name) => _users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
}
