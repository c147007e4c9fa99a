using Shipgate.Server.Hosting;

namespace Shipgate.Server.Auth;

/// <summary>
/// Maps the identities git and git hosts report to Shipgate users: a commit email to the user who has it (a user has
/// several), a GitHub no-reply address or a git host login (<c>github:alice</c>) to the user with that login.
/// </summary>
internal sealed class UserIdentities(ServerStore store)
{
    private const string GitHubNoReply = "@users.noreply.github.com";

    /// <summary>The name of the user an email belongs to: one of their emails, or a GitHub no-reply address of their github: login; else null.</summary>
    public async Task<string?> UserOfEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        if (email.Length > 0 && await store.Store.Users.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false) is { } user)
        {
            return user.Name;
        }

        if (email.EndsWith(GitHubNoReply, StringComparison.OrdinalIgnoreCase))
        {
            // 12345+alice@users.noreply.github.com, or the older alice@users.noreply.github.com.
            var local = email[..^GitHubNoReply.Length];
            return await UserOfLoginAsync("github:" + local[(local.IndexOf('+', StringComparison.Ordinal) + 1)..], cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The name of the user with the git host login (<c>github:alice</c>), or null.</summary>
    public async Task<string?> UserOfLoginAsync(string login, CancellationToken cancellationToken = default) =>
        (await store.Store.Users.FindUserByLoginAsync(login, cancellationToken).ConfigureAwait(false))?.Name;
}
