using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Core.Triggers;
using Shipgate.Engine.Runs;
using Shipgate.Server.Auth;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Workflows;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Triggers;

namespace Shipgate.Server.Runs;

/// <summary>
/// Turns a trigger (a push, a pull request, a schedule, a dispatch) into queued runs: finds the project's
/// workflows at the commit whose <c>on:</c> matches, records a run for each in the store, and wakes the
/// scheduler. A run is durable once queued: a crash after this point loses nothing.
/// </summary>
internal sealed class RunLauncher(
    ServerStore store,
    ProjectRepositories repositories,
    WorkflowCatalog catalog,
    RunScheduler scheduler,
    RunEventHub hub,
    UserIdentities identities,
    IOptions<ServerOptions> options,
    ILogger<RunLauncher> logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, SemaphoreSlim> _projectLocks = new();

    /// <summary>
    /// Queues a run of every workflow at <paramref name="sha"/> that <paramref name="trigger"/> starts.
    /// For pushes and pull requests, a workflow file with errors gets a run too, which fails with the
    /// positioned error (as GitHub shows an invalid workflow file). Returns the trigger's runs: those
    /// queued now and those queued for the same event, ref and commit before (a push seen twice runs once).
    /// <c>login</c> is the git host login (<c>github:alice</c>) of who triggered it, from a signed webhook: for a pull
    /// request its author, and the runs' initiator is the user with that login, or nobody (a commit's email is its
    /// writer's to choose, so it does not make a pull request a user's); for a push the pusher, the initiator when they
    /// are a user, else the head commit's author's user.
    /// </summary>
    public async Task<IReadOnlyList<RunRecord>> LaunchAsync(ProjectRecord project, TriggerEvent trigger, string gitRef, string sha, string? login = null, CancellationToken cancellationToken = default) =>
        (await LaunchAsync(project, trigger, gitRef, sha, login, null, cancellationToken).ConfigureAwait(false)).Runs;

    /// <summary>
    /// <see cref="LaunchAsync(ProjectRecord, TriggerEvent, string, string, string?, CancellationToken)"/> for a webhook
    /// <paramref name="delivery"/>: the delivery is recorded in the same transaction that queues its runs, so a
    /// crash leaves both or neither (and the redelivery then runs it). A delivery seen before queues nothing.
    /// </summary>
    public async Task<LaunchResult> LaunchAsync(
        ProjectRecord project, TriggerEvent trigger, string gitRef, string sha, string? login, WebhookDelivery? delivery, CancellationToken cancellationToken = default)
    {
        var repository = repositories.For(project);
        var workflows = await catalog.LoadAsync(repository, sha, cancellationToken).ConfigureAwait(false);
        var user = login is null ? null : await identities.UserOfLoginAsync(login, cancellationToken).ConfigureAwait(false);
        var (actor, initiator) = user is not null ? (user, user)
            // A pull request by no user counts as started by its login, which (with its colon) can never be a user's name.
            : login is not null && trigger.Name == PullRequestRuns.EventName ? (login, login)
            : await ResolveActorAsync(repository, sha, cancellationToken).ConfigureAwait(false);

        // A watched repository that also sends webhooks reports the same push twice: one run per workflow, commit and event.
        var gate = _projectLocks.GetOrAdd(project.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var earlier = await store.Store.Runs.ListRunsAsync(new RunQuery { ProjectId = project.Id, Sha = sha, Limit = 1000 }, cancellationToken).ConfigureAwait(false);
            var done = earlier.Where(r => r.Event == trigger.Name && r.Ref == gitRef).DistinctBy(r => r.WorkflowPath).ToDictionary(r => r.WorkflowPath, StringComparer.Ordinal);
            var planned = new List<PlannedRun>();
            foreach (var workflow in workflows.Where(w => !done.ContainsKey(w.Path) && Starts(project, w, trigger)))
            {
                planned.Add(await PlanAsync(project, workflow, trigger.Name, gitRef, sha, actor, initiator, null, cancellationToken).ConfigureAwait(false));
            }

            var status = WebhookDeliveryStatus.New;
            var queued = new List<QueuedRun>();
            if (delivery is null)
            {
                foreach (var run in planned)
                {
                    queued.Add(await store.Store.Runs.QueueRunAsync(run.Run, cancellationToken).ConfigureAwait(false));
                }
            }
            else
            {
                var recorded = await store.Store.Triggers.RecordWebhookDeliveryAsync(
                    delivery, [.. planned.Select(p => p.Run)], options.Value.WebhookDeliveryRetention, cancellationToken).ConfigureAwait(false);
                (status, queued) = (recorded.Status, [.. recorded.Runs]);
            }

            for (var i = 0; i < queued.Count; i++)
            {
                Started(project, planned[i], queued[i]);
            }

            // The runs queued for this push before (by the other of watcher and webhook) are part of the answer.
            return new LaunchResult(status, [.. done.Values, .. queued.Select(q => q.Run)]);
        }
        finally
        {
            gate.Release();
        }
    }

    private bool Starts(ProjectRecord project, RepositoryWorkflow workflow, TriggerEvent trigger)
    {
        if (workflow.Definition is not { } definition)
        {
            return trigger.Name is "push" or "pull_request";
        }

        var match = TriggerMatcher.Match(definition.On, trigger);
        RunLog.TriggerMatch(logger, project.Name, workflow.Path, trigger.Name, match.Matches, match.Reason);
        return match.Matches;
    }

    /// <summary>
    /// Queues one run of <paramref name="workflow"/> and wakes the scheduler. The workflow's concurrency
    /// group is evaluated now and applied by the store as the run is queued (a pending run of the group is
    /// replaced); with cancel-in-progress, the group's running run is cancelled here, or by the server
    /// running it when it notices the store's request.
    /// </summary>
    public async Task<RunRecord> QueueAsync(
        ProjectRecord project,
        RepositoryWorkflow workflow,
        string eventName,
        string gitRef,
        string sha,
        string actor,
        string? initiator,
        IReadOnlyDictionary<string, string>? inputs,
        CancellationToken cancellationToken = default)
    {
        var planned = await PlanAsync(project, workflow, eventName, gitRef, sha, actor, initiator, inputs, cancellationToken).ConfigureAwait(false);
        var queued = await store.Store.Runs.QueueRunAsync(planned.Run, cancellationToken).ConfigureAwait(false);
        Started(project, planned, queued);
        return queued.Run;
    }

    private async Task<PlannedRun> PlanAsync(
        ProjectRecord project,
        RepositoryWorkflow workflow,
        string eventName,
        string gitRef,
        string sha,
        string actor,
        string? initiator,
        IReadOnlyDictionary<string, string>? inputs,
        CancellationToken cancellationToken)
    {
        var concurrency = await EvaluateConcurrencyAsync(project, workflow, eventName, gitRef, sha, actor, inputs, cancellationToken).ConfigureAwait(false);
        return new PlannedRun(
            new NewRun
            {
                ProjectId = project.Id,
                WorkflowPath = workflow.Path,
                WorkflowName = workflow.DisplayName,
                Event = eventName,
                Ref = gitRef,
                Sha = sha,
                Actor = actor,
                Initiator = initiator,
                Inputs = inputs ?? new Dictionary<string, string>(),
                ConcurrencyGroup = concurrency?.Group,
                CancelInProgress = concurrency?.CancelInProgress ?? false,
            },
            concurrency);
    }

    /// <summary>After a run is queued: the runs its concurrency group replaced or must cancel, and the scheduler woken.</summary>
    private void Started(ProjectRecord project, PlannedRun planned, QueuedRun queued)
    {
        var run = queued.Run;
        RunLog.RunQueued(logger, run.Id, project.Name, run.WorkflowPath, run.Event, run.Ref, run.Sha);
        var reason = planned.Concurrency is null ? "" : QueuedRun.CancelReason(planned.Concurrency.Group);
        foreach (var replaced in queued.Replaced)
        {
            RunLog.ConcurrencyCancelled(logger, replaced, run.Id, reason);
            hub.Notify(replaced);
        }

        foreach (var running in queued.CancelRunning)
        {
            // Running elsewhere: that server sees the store's cancel request (RunScheduler).
            if (scheduler.TryCancel(running, reason))
            {
                RunLog.ConcurrencyCancelled(logger, running, run.Id, reason);
            }
        }

        scheduler.Wake();
    }

    private sealed record PlannedRun(NewRun Run, WorkflowConcurrencyGroup? Concurrency);

    private async Task<WorkflowConcurrencyGroup?> EvaluateConcurrencyAsync(
        ProjectRecord project,
        RepositoryWorkflow workflow,
        string eventName,
        string gitRef,
        string sha,
        string actor,
        IReadOnlyDictionary<string, string>? inputs,
        CancellationToken cancellationToken)
    {
        if (workflow.Definition is not { Concurrency: not null } definition)
        {
            return null;
        }

        var variables = await store.Store.Secrets.GetVariablesAsync(project.Id, null, cancellationToken).ConfigureAwait(false);
        return await WorkflowConcurrency.EvaluateAsync(
            new RunRequest
            {
                Workflow = definition,
                RepositoryDirectory = repositories.For(project).Directory,
                EventName = eventName,
                Ref = gitRef,
                Sha = sha,
                Inputs = inputs ?? new Dictionary<string, string>(),
                Variables = variables,
                Actor = actor,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GITHUB_ACTOR and the initiator of a commit's runs: its author's Shipgate user (by email), else the author's name.</summary>
    public async Task<(string Actor, string? Initiator)> ResolveActorAsync(GitRepository repository, string sha, CancellationToken cancellationToken = default)
    {
        if (await repository.AuthorAsync(sha, cancellationToken).ConfigureAwait(false) is not { } author)
        {
            return ("shipgate", null);
        }

        var user = await identities.UserOfEmailAsync(author.Email, cancellationToken).ConfigureAwait(false);
        return user is null ? (author.Name.Length > 0 ? author.Name : author.Email, null) : (user, user);
    }
}
