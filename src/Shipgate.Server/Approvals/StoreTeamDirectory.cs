using Shipgate.Delivery.Approvals;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Approvals;

/// <summary>Expands <c>team:NAME</c> reviewers with the store's teams.</summary>
internal sealed class StoreTeamDirectory(ServerStore store) : ITeamDirectory
{
    public async ValueTask<IReadOnlyList<string>?> GetMembersAsync(string team, CancellationToken cancellationToken = default)
    {
        var users = store.Store.Users;
        var teams = await users.ListTeamsAsync(cancellationToken).ConfigureAwait(false);
        return teams.Contains(team, StringComparer.OrdinalIgnoreCase) ? await users.ListTeamMembersAsync(team, cancellationToken).ConfigureAwait(false) : null;
    }
}
