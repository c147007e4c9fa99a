using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Runs;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly string _markers = StepMarks.Create("shipgate-concurrency-").FullName;

    private string Release => Path.Combine(_markers, "release");

    [Fact]
    public async Task Dispatch_ThreeRunsIntoOneGroup_SecondReplacedByThirdWhichRunsAfterTheFirst()
    {
        using var repository = GroupRepository("concurrency:\n  group: deploy-${{ github.ref }}");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var first = await server.DispatchAsync("web", "deploy.yml");
        await StepRunningAsync(server, first.Id);
        var second = await server.DispatchAsync("web", "deploy.yml");
        var third = await server.DispatchAsync("web", "deploy.yml");
        var replaced = await server.WaitForCompletedRunAsync(second.Id);
        var waiting = (await server.GetRunAsync(third.Id)).Run;
        File.WriteAllText(Release, "");
        var firstDone = await server.WaitForCompletedRunAsync(first.Id);
        var thirdDone = await server.WaitForCompletedRunAsync(third.Id);

        Assert.Equal(("cancelled", "Canceling since a higher priority waiting request for 'deploy-refs/heads/main' exists"), (replaced.Conclusion, replaced.Reason));
        Assert.Equal("queued", waiting.Status);
        Assert.Equal(("success", "success"), (firstDone.Conclusion, thirdDone.Conclusion));
        Assert.True(thirdDone.StartedAt >= firstDone.CompletedAt, $"run 3 started {thirdDone.StartedAt:O}, before run 1 completed {firstDone.CompletedAt:O}");
        Assert.Empty((await server.GetRunAsync(second.Id)).Jobs);
    }

    [Fact]
    public async Task Dispatch_CancelInProgress_RunningRunCancelledAndNewOneRuns()
    {
        using var repository = GroupRepository("concurrency:\n  group: ${{ github.workflow }}\n  cancel-in-progress: true");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var first = await server.DispatchAsync("web", "deploy.yml");
        await StepRunningAsync(server, first.Id);
        var second = await server.DispatchAsync("web", "deploy.yml");
        var cancelled = await server.WaitForCompletedRunAsync(first.Id);
        await StepRunningAsync(server, second.Id);
        File.WriteAllText(Release, "");
        var done = await server.WaitForCompletedRunAsync(second.Id);

        Assert.Equal(("cancelled", "Canceling since a higher priority waiting request for 'deploy' exists"), (cancelled.Conclusion, cancelled.Reason));
        Assert.Equal("success", done.Conclusion);
    }

    [Fact]
    public async Task CancelInProgressFromAnotherServer_RunCancelledByTheServerRunningIt()
    {
        using var repository = GroupRepository("concurrency:\n  group: ${{ github.workflow }}\n  cancel-in-progress: true");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var first = await server.DispatchAsync("web", "deploy.yml");
        await StepRunningAsync(server, first.Id);
        var store = server.Service<Shipgate.Server.Hosting.ServerStore>().Store;
        var project = await store.Projects.GetByNameAsync("web", Ct).DefaultTimeout();

        // What another server's launcher does: queue into the group through the store, without cancelling here.
        var queued = await store.Runs.QueueRunAsync(
            new Shipgate.Storage.Runs.NewRun
            {
                ProjectId = project!.Id,
                WorkflowPath = first.WorkflowPath,
                WorkflowName = first.Workflow,
                Event = "workflow_dispatch",
                Ref = first.Ref,
                Sha = first.Sha,
                Actor = "admin",
                ConcurrencyGroup = "deploy",
                CancelInProgress = true,
            },
            Ct).DefaultTimeout();
        var cancelled = await server.WaitForCompletedRunAsync(first.Id);
        File.WriteAllText(Release, "");
        var done = await server.WaitForCompletedRunAsync(queued.Run.Id);

        Assert.Equal([first.Id], queued.CancelRunning);
        Assert.Equal(("cancelled", "Canceling since a higher priority waiting request for 'deploy' exists"), (cancelled.Conclusion, cancelled.Reason));
        Assert.Equal("success", done.Conclusion);
    }

    [Fact]
    public async Task Dispatch_JobGroupAcrossTwoRuns_JobsOneAfterTheOther()
    {
        var log = Path.Combine(_markers, "log");
        using var repository = Repository($$$"""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                concurrency: production
                steps:
                  - run: |
                      echo "start $GITHUB_RUN_ID" >> {{{log}}}
                      while [ ! -f {{{Release}}} ]; do sleep 0.05; done
                      echo "end $GITHUB_RUN_ID" >> {{{log}}}
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var first = await server.DispatchAsync("web", "deploy.yml");
        await StepRunningAsync(server, first.Id);
        var second = await server.DispatchAsync("web", "deploy.yml");
        await EventuallyAsync(async () => (await server.GetRunAsync(second.Id)).Jobs.FirstOrDefault(), "the second run's job to start");
        var secondSteps = (await server.GetRunAsync(second.Id)).Jobs.Single().Steps;
        File.WriteAllText(Release, "");
        await server.WaitForCompletedRunAsync(first.Id);
        var done = await server.WaitForCompletedRunAsync(second.Id);

        Assert.Empty(secondSteps);
        Assert.Equal("success", done.Conclusion);
        Assert.Equal([$"start {first.Id}", $"end {first.Id}", $"start {second.Id}", $"end {second.Id}"], File.ReadAllLines(log));
    }

    public void Dispose() => Directory.Delete(_markers, recursive: true);

    /// <summary>A workflow named deploy with the given top-level concurrency, whose one step waits for the release marker.</summary>
    private TestRepository GroupRepository(string concurrency) => Repository($$$"""
        name: deploy
        on: workflow_dispatch
        {{{concurrency}}}
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: while [ ! -f {{{Release}}} ]; do sleep 0.05; done
        """);

    private static TestRepository Repository(string workflow)
    {
        var repository = new TestRepository();
        repository.Write(".github/workflows/deploy.yml", workflow);
        repository.Commit("deploy workflow");
        return repository;
    }

    private static Task<JobResponse> StepRunningAsync(RunningServer server, long runId) =>
        EventuallyAsync(async () => (await server.GetRunAsync(runId)).Jobs.FirstOrDefault(j => j.Steps.Any(s => s.Status == "in_progress")), $"run {runId}'s step to start");
}
