using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Core.Triggers;
using Shipgate.Server.Flags;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Triggers;

/// <summary>
/// Watches the branch of every project whose repository is local: polls it (<c>git for-each-ref</c>,
/// every <see cref="ServerOptions.RepositoryPollInterval"/>) and, when it moved, starts the runs of the
/// workflows whose <c>on: push</c> matches the branch and the paths changed since the last commit seen, and applies
/// the flags of its <c>shipgate.yml</c> (<see cref="FlagFileSync"/>).
/// Nothing is written into the repository. The last commit seen is where the branch was when the
/// project was added, or after a restart the commit of the branch's newest push run.
/// </summary>
internal sealed class RepositoryWatcher(
    ServerStore store,
    ProjectRepositories repositories,
    RunLauncher launcher,
    FlagFileSync flags,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<RepositoryWatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, string> _seen = new();
    private readonly SemaphoreSlim _polling = new(1, 1);

    /// <summary>Starts watching a new project from <paramref name="head"/> (commits after it start runs).</summary>
    public void Track(ProjectRecord project, string head) => _seen[project.Id] = head;

    public void Forget(long projectId) => _seen.TryRemove(projectId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.Value.RepositoryPollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                TriggerLog.WatchFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One look at every watched branch (one at a time: a commit is handled once).</summary>
    internal async Task PollAsync(CancellationToken cancellationToken = default)
    {
        await _polling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PollOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _polling.Release();
        }
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var project in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!ProjectRepositories.IsLocal(project.Repository))
            {
                continue;
            }

            var branchRef = "refs/heads/" + project.DefaultBranch;
            var repository = repositories.For(project);
            var heads = await repository.ReadRefsAsync([branchRef], cancellationToken).ConfigureAwait(false);
            if (!heads.TryGetValue(branchRef, out var head))
            {
                continue;
            }

            // Before the runs: a merged change to flags: takes effect even when queueing its runs fails.
            await flags.ApplyAsync(project, head, cancellationToken).ConfigureAwait(false);

            if (!_seen.TryGetValue(project.Id, out var seen))
            {
                seen = await LastPushedAsync(project, branchRef, cancellationToken).ConfigureAwait(false) ?? head;
                _seen[project.Id] = seen;
            }

            if (seen == head)
            {
                continue;
            }

            var changed = await repository.ChangedPathsAsync(seen, head, cancellationToken).ConfigureAwait(false);
            TriggerLog.BranchMoved(logger, project.Name, branchRef, seen, head);
            var runs = await launcher.LaunchAsync(
                project,
                new TriggerEvent { Name = "push", Ref = branchRef, ChangedPaths = changed },
                branchRef,
                head,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            TriggerLog.PushHandled(logger, project.Name, head, runs.Count);

            // Recorded after the runs are queued: a crash in between queues them again rather than losing them.
            _seen[project.Id] = head;
        }
    }

    /// <summary>The commit of the branch's newest push run, so commits made while the server was down still run.</summary>
    private async Task<string?> LastPushedAsync(ProjectRecord project, string branchRef, CancellationToken cancellationToken)
    {
        var recent = await store.Store.Runs.ListRunsAsync(new RunQuery { ProjectId = project.Id, Limit = 100 }, cancellationToken).ConfigureAwait(false);
        return recent.FirstOrDefault(r => r.Event == "push" && r.Ref == branchRef)?.Sha;
    }
}
