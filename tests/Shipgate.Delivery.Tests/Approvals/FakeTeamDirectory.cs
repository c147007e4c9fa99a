using Shipgate.Delivery.Approvals;

namespace Shipgate.Delivery.Tests.Approvals;

/// <summary>Teams from a dictionary; counts lookups so tests can see when teams are (not) expanded.</summary>
internal sealed class FakeTeamDirectory(Dictionary<string, string[]>? teams = null) : ITeamDirectory
{
    private readonly Dictionary<string, string[]> _teams = teams ?? [];

    public int Lookups { get; private set; }

    public ValueTask<IReadOnlyList<string>?> GetMembersAsync(string team, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Lookups++;
        return ValueTask.FromResult<IReadOnlyList<string>?>(_teams.TryGetValue(team, out var members) ? members : null);
    }
}
