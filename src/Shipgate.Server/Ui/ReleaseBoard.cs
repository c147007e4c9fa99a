using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Users;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Ui;

/// <summary>
/// Builds the release board from the store: each project's environments (as its <c>shipgate.yml</c> last declared them,
/// and any one deployed to), the release each service runs there (the latest succeeded deployment, as
/// <c>GET /api/v1/status</c> answers), the latest deployment's status, a running rollout's progress and the pending approvals
/// (an environment waiting for one is a column even before anything was deployed there).
/// </summary>
internal sealed class ReleaseBoard(ServerStore store, CommitSummaries commits, TimeProvider time)
{
    /// <summary>The most recent deployments of a project looked at for each cell's latest status.</summary>
    private const int RecentDeployments = 1000;

    public async Task<BoardPage> BuildAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var pending = await store.Store.Approvals.ListAsync(new ApprovalQuery { Status = ApprovalStatus.Pending, Limit = 1000 }, cancellationToken).ConfigureAwait(false);
        var projects = new List<ProjectBoard>();
        foreach (var project in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var current = await store.Store.Deployments.ListCurrentReleasesAsync(project.Id, cancellationToken).ConfigureAwait(false);
            var recent = await store.Store.Deployments.ListDeploymentsAsync(project.Id, limit: RecentDeployments, cancellationToken: cancellationToken).ConfigureAwait(false);
            var declared = await store.Store.Deployments.ListEnvironmentsAsync(project.Id, cancellationToken).ConfigureAwait(false);

            var waitingHere = pending.Where(a => a.ProjectId == project.Id && a.Environment is not null).ToList();
            var environments = declared.Select(e => e.Name)
                .Concat(current.Select(c => c.Environment))
                .Concat(recent.Select(d => d.Environment))
                .Concat(waitingHere.Select(a => a.Environment!))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var services = current.Select(c => c.Service).Concat(recent.Select(d => d.Service)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var latest = new Dictionary<(string, string), DeploymentRecord>();
            foreach (var deployment in recent)
            {
                // Newest first: the first one seen for a cell is its latest.
                latest.TryAdd((deployment.Service, deployment.Environment.ToLowerInvariant()), deployment);
            }

            var serving = current.ToDictionary(c => (c.Service, c.Environment.ToLowerInvariant()));
            var rows = new List<ServiceRow>();
            foreach (var service in services)
            {
                var cells = new List<BoardCell?>();
                foreach (var environment in environments)
                {
                    var key = (service, environment.ToLowerInvariant());
                    cells.Add(await CellAsync(project, serving.GetValueOrDefault(key), latest.GetValueOrDefault(key), cancellationToken).ConfigureAwait(false));
                }

                rows.Add(new ServiceRow(service, cells));
            }

            var waiting = waitingHere
                .GroupBy(a => a.Environment!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<WaitingApproval>)[.. g.Select(a => new WaitingApproval(a.Id, a.Title, caller.CanApproveIn(g.Key)))],
                    StringComparer.OrdinalIgnoreCase);
            // An approval step of a run waits for its reviewers outside any environment; the API's approver role decides who sees buttons.
            var forRuns = pending.Where(a => a.ProjectId == project.Id && a.Environment is null)
                .Select(a => new WaitingApproval(a.Id, a.Title, caller.Has(UserRole.Approver))).ToList();
            projects.Add(new ProjectBoard(project.Name, environments, rows, waiting, forRuns));
        }

        return new BoardPage(projects, time.GetUtcNow());
    }

    private async Task<BoardCell?> CellAsync(Storage.Projects.ProjectRecord project, CurrentRelease? current, DeploymentRecord? latest, CancellationToken cancellationToken)
    {
        if (current is null && latest is null)
        {
            return null;
        }

        var summary = current is null ? null : await commits.GetAsync(project, current.Release.CommitSha, cancellationToken).ConfigureAwait(false);
        var decidedBy = current is null ? null
            : latest?.Id == current.DeploymentId ? latest.DecidedBy
            : (await store.Store.Deployments.GetDeploymentAsync(current.DeploymentId, cancellationToken).ConfigureAwait(false))?.DecidedBy;
        var (status, css) = Status(latest);
        return new BoardCell(
            current?.Release.Version,
            current?.Release.CommitSha,
            summary?.Subject,
            summary?.Author,
            current?.DeployedAt,
            decidedBy,
            status,
            css,
            latest is { Status: DeploymentStatus.Progressing or DeploymentStatus.Paused } ? Rollout(latest) : null);
    }

    /// <summary>The latest deployment's state as a word (shown with its colour, never the colour alone) and its CSS class.</summary>
    private static (string Text, string Css) Status(DeploymentRecord? latest) => latest?.Status switch
    {
        null or DeploymentStatus.Succeeded => ("serving", "ok"),
        DeploymentStatus.Pending => ("pending", "wait"),
        DeploymentStatus.Waiting => ("waiting", "wait"),
        DeploymentStatus.Progressing => ("rolling out", "busy"),
        DeploymentStatus.Paused => ("paused", "wait"),
        DeploymentStatus.Failed => ("failed", "bad"),
        DeploymentStatus.RolledBack => ("rolled back", "bad"),
        _ => ("cancelled", "off"),
    };

    /// <summary>A running rollout's progress in words: the step, and the canary's weight or the flag's percentage.</summary>
    private static string Rollout(DeploymentRecord deployment)
    {
        var progress = deployment.ProgressJson is { } json ? JsonSerializer.Deserialize(json, ApiJsonContext.Default.CanaryProgress) : null;
        if (progress is null)
        {
            return $"{deployment.Strategy} rollout in progress";
        }

        var share = (progress.CanaryPermille / 10.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        var step = $"step {Math.Clamp(progress.Step, 0, progress.Steps)} of {progress.Steps}";
        return progress.Flag is { } flag
            ? $"{step}: flag {flag} at {share}% for {progress.CanaryVersion}"
            : $"{step}: {progress.CanaryVersion} at {share}% of traffic";
    }
}
