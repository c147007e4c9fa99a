using Microsoft.Extensions.Options;
using Shipgate.Delivery.Configuration;
using Shipgate.Server.Git;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Projects;

/// <summary>
/// Where a project's git repository is: a local repository is used where it is (read only, never
/// written to); a URL is cloned as a bare mirror into <c>DATA/repositories/&lt;id&gt;.git</c> and fetched on demand.
/// </summary>
internal sealed class ProjectRepositories(IOptions<ServerOptions> options)
{
    private static readonly ShipgateConfigLoadResult Missing = new() { Config = ShipgateConfig.Empty, Diagnostics = [] };

    public static bool IsLocal(string repository) => Path.IsPathFullyQualified(repository);

    public GitRepository For(ProjectRecord project) =>
        new(IsLocal(project.Repository) ? project.Repository : MirrorPath(project.Id));

    public string MirrorPath(long projectId) =>
        Path.Combine(options.Value.DataDirectory!, "repositories", projectId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".git");

    /// <summary>
    /// The head commit of the project's protected (default) branch, null when the branch does not exist, and
    /// <c>shipgate.yml</c> as it is there (empty when the file or the branch is missing): the trusted rules (ADR 0013).
    /// </summary>
    public async Task<(string? Head, ShipgateConfigLoadResult Config)> LoadHeadConfigAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        var head = await For(project).ResolveCommitAsync("refs/heads/" + project.DefaultBranch, cancellationToken).ConfigureAwait(false);
        return (head, head is null ? Missing : await LoadConfigAsync(project, head, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>shipgate.yml</c> as it is at <paramref name="commit"/> (empty when the file is missing there).</summary>
    public async Task<ShipgateConfigLoadResult> LoadConfigAsync(ProjectRecord project, string commit, CancellationToken cancellationToken = default) =>
        await For(project).ReadFileAsync(commit, ShipgateConfig.FileName, cancellationToken).ConfigureAwait(false) is { } text
            ? ShipgateConfigLoader.LoadText(text, ShipgateConfig.FileName)
            : Missing;

    /// <summary>Brings a mirror up to date (a local repository needs nothing); the error sentence when fetching failed.</summary>
    public async Task<string?> RefreshAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        if (IsLocal(project.Repository))
        {
            return null;
        }

        var mirror = MirrorPath(project.Id);
        var result = Directory.Exists(mirror)
            ? await new GitRepository(mirror).FetchAsync(cancellationToken).ConfigureAwait(false)
            : await CloneAsync(project.Repository, mirror, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? null : $"Fetching {project.Repository} failed: {result.FirstErrorLine}";
    }

    public static async Task<GitResult> CloneAsync(string url, string mirror, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(mirror)!);
        return await GitRepository.CloneMirrorAsync(url, mirror, cancellationToken).ConfigureAwait(false);
    }
}
