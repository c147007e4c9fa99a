namespace Shipgate.Delivery.Approvals;

/// <summary>Expands <c>team:NAME</c> reviewers to users; the server answers from its store.</summary>
public interface ITeamDirectory
{
    /// <summary>The user names of <paramref name="team"/>'s members, or null when there is no such team.</summary>
    ValueTask<IReadOnlyList<string>?> GetMembersAsync(string team, CancellationToken cancellationToken = default);
}
