using System.Collections.Concurrent;
using Shipgate.Engine.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// The engine's in-process concurrency groups, one set per project (GitHub's groups are per repository),
/// shared by every run of the project on this server: job-level <c>concurrency</c> holds across runs.
/// Across servers sharing a store, job-level groups are not coordinated (workflow-level groups are, by
/// the store); see docs/server.md.
/// </summary>
internal sealed class ProjectConcurrencyGroups
{
    private readonly ConcurrentDictionary<long, ConcurrencyGroups> _groups = new();

    public ConcurrencyGroups For(long projectId) => _groups.GetOrAdd(projectId, _ => new ConcurrencyGroups());
}
