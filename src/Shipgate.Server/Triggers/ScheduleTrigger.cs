using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Core.Triggers;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Server.Workflows;

namespace Shipgate.Server.Triggers;

/// <summary>
/// Fires the <c>on: schedule</c> crons (UTC) of the workflows on each project's branch while the server
/// runs. Each slot fires once: the store records it before the run is queued, so neither a restart nor
/// a second server fires it again. At start, a slot missed within <see cref="ServerOptions.ScheduleCatchUp"/>
/// still fires (only the latest one, as GitHub does not backfill).
/// </summary>
internal sealed class ScheduleTrigger(
    ServerStore store,
    ProjectRepositories repositories,
    WorkflowCatalog catalog,
    RunLauncher launcher,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<ScheduleTrigger> logger) : BackgroundService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(long Project, string Workflow, string Cron), DateTimeOffset> _checkedUntil = new();
    private readonly SemaphoreSlim _ticking = new(1, 1);
    private DateTimeOffset? _startedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(TickInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                TriggerLog.SchedulesFailed(logger, ex);
                await Task.Delay(TickInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fires every slot that is due now (one tick at a time).</summary>
    internal async Task TickAsync(CancellationToken cancellationToken = default)
    {
        await _ticking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            _startedAt ??= now;
            foreach (var project in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                var repository = repositories.For(project);
                var gitRef = "refs/heads/" + project.DefaultBranch;
                if (await repository.ResolveCommitAsync(gitRef, cancellationToken).ConfigureAwait(false) is not { } head)
                {
                    continue;
                }

                foreach (var workflow in await catalog.LoadAsync(repository, head, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var cronToken in workflow.Definition?.On.Schedules ?? [])
                    {
                        if (!CronSchedule.TryParse(cronToken.Value, out var cron, out _))
                        {
                            continue;
                        }

                        var key = (project.Id, workflow.Path, cron!.Text);
                        var from = _checkedUntil.GetValueOrDefault(key, _startedAt.Value - options.Value.ScheduleCatchUp);
                        _checkedUntil[key] = now;
                        if (LatestSlot(cron, from, now) is not { } slot)
                        {
                            continue;
                        }

                        // Recorded first: whoever records the slot is the one that runs it.
                        if (!await store.Store.Triggers.TryRecordScheduleFireAsync(project.Id, workflow.Path, cron.Text, slot, cancellationToken).ConfigureAwait(false))
                        {
                            continue;
                        }

                        TriggerLog.ScheduleFired(logger, cron.Text, project.Name, workflow.Path, slot);
                        var (actor, initiator) = await launcher.ResolveActorAsync(repository, head, cancellationToken).ConfigureAwait(false);
                        await launcher.QueueAsync(project, workflow, "schedule", gitRef, head, actor, initiator, null, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            _ticking.Release();
        }
    }

    /// <summary>The last slot after <paramref name="from"/> and at or before <paramref name="now"/>, or null.</summary>
    internal static DateTimeOffset? LatestSlot(CronSchedule cron, DateTimeOffset from, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        for (var next = cron.GetNextOccurrence(from); next is { } slot && slot <= now; next = cron.GetNextOccurrence(slot))
        {
            latest = slot;
        }

        return latest;
    }
}
