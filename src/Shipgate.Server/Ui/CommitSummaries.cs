using System.Collections.Concurrent;
using Shipgate.Server.Projects;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Ui;

/// <summary>
/// A commit's first line and author for the board, from the project's repository. A commit never changes, so git is
/// asked once per commit; one git cannot read yet (not fetched) is asked again next time.
/// </summary>
internal sealed class CommitSummaries(ProjectRepositories repositories)
{
    private const int MaxCached = 4096;

    private readonly ConcurrentDictionary<string, (string Subject, string Author)> _commits = new(StringComparer.Ordinal);

    /// <summary>The commit's subject and author, or null when git cannot tell.</summary>
    public async Task<(string Subject, string Author)?> GetAsync(ProjectRecord project, string sha, CancellationToken cancellationToken = default)
    {
        if (_commits.TryGetValue(sha, out var known))
        {
            return known;
        }

        var result = await repositories.For(project).RunAsync(["log", "-1", "--format=%an%x00%s", "--end-of-options", sha, "--"], cancellationToken).ConfigureAwait(false);
        var parts = result.Output.TrimEnd('\n').Split('\0', 2);
        if (!result.Succeeded || parts.Length != 2)
        {
            return null;
        }

        if (_commits.Count >= MaxCached)
        {
            _commits.Clear();
        }

        return _commits[sha] = (parts[1], parts[0]);
    }
}
