using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Runs;

/// <summary>
/// Takes queued runs from the store (a claim with a lease, so no run is taken twice, also by several
/// servers) and executes them in-process, at most <see cref="ServerOptions.MaxConcurrentRuns"/> at once.
/// Woken when a run is queued; also polls. Queues again, to resume, the runs whose runner's lease
/// expired (the server running them died): see <see cref="ResumeLostRunsAsync"/>.
/// Stopping detaches from the running runs (their steps are stopped, nothing more runs) and hands them back to
/// the queue as after a crash, so the next server resumes them: waiting approvals stay pending.
/// </summary>
internal sealed class RunScheduler(
    ServerStore store,
    RunExecutor executor,
    RunEventHub hub,
    ServerReadiness readiness,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<RunScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRecoveryInterval = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, RunningRun> _running = new();

    /// <summary>This server's name on the leases it takes.</summary>
    public string Owner { get; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..12]}");

    /// <summary>Makes the scheduler look for queued runs now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Cancels a run this server is executing; false when it is not running here.</summary>
    public bool TryCancel(long runId, string reason)
    {
        if (!_running.TryGetValue(runId, out var running))
        {
            return false;
        }

        running.CancelReason ??= reason;
        running.Cancellation.Cancel();
        return true;
    }

    /// <summary>Cancels every run of the project this server is executing (the project is being removed).</summary>
    public void CancelProject(long projectId, string reason)
    {
        foreach (var (runId, running) in _running)
        {
            if (running.ProjectId == projectId)
            {
                TryCancel(runId, reason);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextRecovery = DateTimeOffset.MinValue;
        var lease = options.Value.RunLease;
        var recoveryInterval = lease / 3 < MaxRecoveryInterval ? lease / 3 : MaxRecoveryInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextRecovery)
                {
                    await ResumeLostRunsAsync(stoppingToken).ConfigureAwait(false);
                    await CancelRequestedRunsAsync(stoppingToken).ConfigureAwait(false);
                    nextRecovery = time.GetUtcNow() + recoveryInterval;
                }

                while (_running.Count < options.Value.MaxConcurrentRuns)
                {
                    var run = await store.Store.Queue.ClaimNextRunAsync(Owner, lease, stoppingToken).ConfigureAwait(false);
                    if (run is null)
                    {
                        break;
                    }

                    // Not linked to the stopping token: a stop detaches from the run instead of cancelling it.
                    var running = new RunningRun(new CancellationTokenSource(), run.ProjectId);
                    _running[run.Id] = running;
                    running.Task = Task.Run(
                        async () =>
                        {
                            try
                            {
                                await executor.ExecuteAsync(run, Owner, running, stoppingToken).ConfigureAwait(false);
                            }
                            finally
                            {
                                _running.TryRemove(run.Id, out _);
                                running.Cancellation.Dispose();
                                running.Detach.Dispose();
                                Wake();
                            }
                        },
                        CancellationToken.None);
                }

                readiness.StoreWorked();
                await Task.WhenAny(_wake.Reader.WaitToReadAsync(stoppingToken).AsTask(), Task.Delay(PollInterval, time, stoppingToken)).ConfigureAwait(false);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store was unreachable for a moment (PostgreSQL restarting): try again shortly.
                RunLog.SchedulerError(logger, ex);
                readiness.StoreFailed(ex);
                await Task.Delay(PollInterval, time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        // Stopping: the runs' steps stop and each run is handed back to the queue (see RunExecutor) before we return.
        foreach (var running in _running.Values)
        {
            await running.Detach.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_running.Values.Select(r => r.Task ?? Task.CompletedTask)).ConfigureAwait(false);
    }

    /// <summary>Cancels the runs of this server that a newer run of their concurrency group (queued by any server) asked to cancel.</summary>
    private async Task CancelRequestedRunsAsync(CancellationToken cancellationToken)
    {
        if (_running.IsEmpty)
        {
            return;
        }

        foreach (var (runId, reason) in await store.Store.Runs.ListCancelRequestsAsync(Owner, cancellationToken).ConfigureAwait(false))
        {
            TryCancel(runId, reason);
        }
    }

    /// <summary>
    /// A run whose lease expired lost its server (a new server cannot tell that its own previous process
    /// died, so the expiry is the rule): it is queued again and resumed by whichever server claims it.
    /// The store fails the jobs that had started a step as "runner lost" (no step runs twice); jobs that
    /// completed keep their results and jobs that had not started a step start again.
    /// </summary>
    private async Task ResumeLostRunsAsync(CancellationToken cancellationToken)
    {
        foreach (var lost in await store.Store.Queue.FindExpiredLeasesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (lost.Owner == Owner)
            {
                continue;
            }

            var ended = lost.JobId is { } jobId
                ? await store.Store.Queue.EndLostJobAsync(jobId, lost.Owner, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await store.Store.Queue.EndLostRunAsync(lost.RunId, lost.Owner, requeue: true, cancellationToken).ConfigureAwait(false);
            if (ended)
            {
                RunLog.RunnerLost(logger, lost.RunId, lost.Owner);
                hub.Notify(lost.RunId);
            }
        }
    }
}
