using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Flags;

/// <summary>
/// Applies the flags of <c>shipgate.yml</c> to every environment the file declares (<see cref="FlagBaselines"/>) whenever
/// the server sees its project's protected branch at a new head: on each poll of a watched repository, after the fetch of a
/// webhook or a dispatch, when a project is added, and for every project before the server listens. A merge to
/// <c>flags:</c> so reaches OFREP and the document without a flag request. The file is read and parsed once per head
/// commit and project: a head already seen (or whose file is not valid, logged once) costs a dictionary look-up.
/// </summary>
internal sealed class FlagFileSync(ServerStore store, ProjectRepositories repositories, FlagBaselines baselines, ILogger<FlagFileSync> logger)
    : IHostedService
{
    private readonly ConcurrentDictionary<long, string> _applied = new();
    private readonly SemaphoreSlim _applying = new(1, 1);

    /// <summary>Brings every project's environments to the file at its head before the server serves a flag.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var project in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            await ApplyHeadAsync(project, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies the file at the protected branch's head as the repository has it now (nothing when the branch is missing).</summary>
    public async Task ApplyHeadAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        string? head;
        try
        {
            head = await repositories.For(project).ResolveCommitAsync("refs/heads/" + project.DefaultBranch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A repository that went away must not stop the server or a webhook; its flags stay as stored.
            FlagLog.ApplyFailed(logger, project.Name, project.DefaultBranch, ex);
            return;
        }

        if (head is not null)
        {
            await ApplyAsync(project, head, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies the file at <paramref name="head"/>, the protected branch's head commit, unless that commit was applied
    /// already. Never throws but for cancellation: a failure is logged and the head tried again when next seen.
    /// </summary>
    public async Task ApplyAsync(ProjectRecord project, string head, CancellationToken cancellationToken = default)
    {
        if (_applied.TryGetValue(project.Id, out var applied) && applied == head)
        {
            return;
        }

        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_applied.TryGetValue(project.Id, out applied) && applied == head)
            {
                return;
            }

            var config = await repositories.LoadConfigAsync(project, head, cancellationToken).ConfigureAwait(false);
            if (config.HasErrors)
            {
                // Recorded as seen all the same: a broken file is logged once, not on every poll, and changes nothing.
                FlagLog.FileInvalid(logger, project.Name, head, config.Errors.First().ToString());
            }
            else
            {
                foreach (var environment in config.Config!.Environments)
                {
                    // Stored under the lower-case name, as the flag API keys an environment.
                    await baselines.SyncAsync(project, environment.Name.ToLowerInvariant(), config, cancellationToken).ConfigureAwait(false);
                }

                FlagLog.FileApplied(logger, project.Name, head, config.Config.Environments.Count);
            }

            _applied[project.Id] = head;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FlagLog.ApplyFailed(logger, project.Name, head, ex);
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>Forgets a removed project.</summary>
    public void Forget(long projectId) => _applied.TryRemove(projectId, out _);
}
