using System.Collections.Concurrent;
using Shipgate.Core.Workflows;
using Shipgate.Server.Git;

namespace Shipgate.Server.Workflows;

/// <summary>
/// The workflows of a repository at a commit, read from git (never from a working tree, which may hold
/// uncommitted changes). A commit never changes, so what was loaded is kept (a bounded number of commits).
/// </summary>
internal sealed class WorkflowCatalog
{
    private const int MaxCachedCommits = 256;

    private readonly ConcurrentDictionary<(string Repository, string Sha), IReadOnlyList<RepositoryWorkflow>> _cache = new();

    public async Task<IReadOnlyList<RepositoryWorkflow>> LoadAsync(GitRepository repository, string sha, CancellationToken cancellationToken = default)
    {
        var key = (repository.Directory, sha);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var files = await repository.ListFilesAsync(sha, WorkflowLoader.WorkflowDirectories, cancellationToken).ConfigureAwait(false);
        var workflows = new List<RepositoryWorkflow>();
        foreach (var path in files.Where(IsWorkflowFile).Order(StringComparer.Ordinal))
        {
            if (await repository.ReadFileAsync(sha, path, cancellationToken).ConfigureAwait(false) is { } text)
            {
                workflows.Add(new RepositoryWorkflow(path, WorkflowLoader.LoadText(text, path)));
            }
        }

        if (_cache.Count >= MaxCachedCommits)
        {
            _cache.Clear();
        }

        _cache[key] = workflows;
        return workflows;
    }

    /// <summary>The workflow named by its file name (<c>ci.yml</c>) or its path, or null.</summary>
    public static RepositoryWorkflow? Find(IReadOnlyList<RepositoryWorkflow> workflows, string name) =>
        workflows.FirstOrDefault(w => string.Equals(w.Path, name.TrimStart('/'), StringComparison.Ordinal))
        ?? workflows.FirstOrDefault(w => string.Equals(Path.GetFileName(w.Path), name, StringComparison.Ordinal));

    private static bool IsWorkflowFile(string path) =>
        path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
}
