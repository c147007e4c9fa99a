using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

/// <summary>A run resumed with the jobs it completed before (<see cref="RunRequest.CompletedJobs"/>): those are not run again, the rest are.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly RunHarness _harness = new();

    private string Shared => _harness.Shared;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Resume_CompletedJob_NotRunAgainAndItsOutputsReachNeeds()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                outputs:
                  version: ${{ steps.v.outputs.version }}
                steps:
                  - id: v
                    run: |
                      echo build >> {{{Shared}}}/marker
                      echo "version=1.2.$(wc -l < {{{Shared}}}/marker)" >> "$GITHUB_OUTPUT"
              deploy:
                needs: build
                runs-on: ubuntu-latest
                steps:
                  - run: test -e {{{Shared}}}/go && echo "deploy ${{ needs.build.outputs.version }} ${{ needs.build.result }}" >> {{{Shared}}}/marker
            """);
        var first = await _harness.RunAsync(Request(workflow, runId: "77"));
        Assert.Equal(Conclusion.Failure, first.Conclusion);
        var buildLog = RunEngineTests.Single(first, "build").Steps.Single().LogPath!;

        File.WriteAllText(Path.Combine(Shared, "go"), "");
        var resumed = await _harness.RunAsync(Request(workflow, Recorded(first, "build"), "77"));

        Assert.Equal(Conclusion.Success, resumed.Conclusion);
        Assert.Equal(["build", "deploy 1.2.1 success"], File.ReadAllLines(Path.Combine(Shared, "marker")));
        Assert.DoesNotContain(_harness.Observer.OfType<JobStartedEvent>(), e => e.JobKey == "build");
        Assert.DoesNotContain(_harness.Observer.OfType<JobFinishedEvent>(), e => e.JobKey == "build");
        Assert.Equal((Conclusion.Success, "1.2.1"), (RunEngineTests.Single(resumed, "build").Conclusion, RunEngineTests.Single(resumed, "build").Outputs["version"]));

        // The run directory carries on: the first attempt's logs stay, the job run again gets a directory of its own.
        Assert.True(File.Exists(buildLog));
        var deployLogs = new[] { first, resumed }.Select(r => Path.GetDirectoryName(RunEngineTests.Single(r, "deploy").Steps.Single().LogPath)).ToList();
        Assert.NotEqual(deployLogs[0], deployLogs[1]);
        Assert.True(File.Exists(RunEngineTests.Single(first, "deploy").Steps.Single().LogPath));
    }

    [Fact]
    public async Task Resume_RecordedFailure_FailureAndAlwaysJobsRunAndTheRunFails()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                steps:
                  - run: echo deploy >> {{{Shared}}}/marker
              verify:
                needs: deploy
                runs-on: ubuntu-latest
                steps:
                  - run: echo verify >> {{{Shared}}}/marker
              rollback:
                needs: deploy
                if: failure()
                runs-on: ubuntu-latest
                steps:
                  - run: echo "rollback ${{ needs.deploy.result }}" >> {{{Shared}}}/marker
              notify:
                needs: [deploy, verify]
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - run: echo "notify ${{ needs.verify.result }}" >> {{{Shared}}}/marker
            """);
        var lost = new CompletedJob { JobId = "deploy", Name = "deploy", Outcome = Conclusion.Failure, Conclusion = Conclusion.Failure, Reason = "runner lost" };

        var result = await _harness.RunAsync(Request(workflow, new Dictionary<string, CompletedJob> { ["deploy"] = lost }));

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal(["notify skipped", "rollback failure"], File.ReadAllLines(Path.Combine(Shared, "marker")).Order());
        Assert.Equal(("runner lost", Conclusion.Skipped), (RunEngineTests.Single(result, "deploy").Reason, RunEngineTests.Single(result, "verify").Conclusion));
    }

    [Fact]
    public async Task Resume_MatrixJob_RunsOnlyTheUnfinishedLegs()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    site: [a, b, c]
                outputs:
                  last: ${{ steps.s.outputs.site }}
                steps:
                  - id: s
                    run: |
                      echo ${{ matrix.site }} >> {{{Shared}}}/marker
                      echo "site=${{ matrix.site }}" >> "$GITHUB_OUTPUT"
              after:
                needs: build
                runs-on: ubuntu-latest
                steps:
                  - run: echo "after ${{ needs.build.result }}" >> {{{Shared}}}/marker
            """);
        var done = new Dictionary<string, CompletedJob>
        {
            ["build[0]"] = new() { JobId = "build", Name = "build (a)", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Outputs = new Dictionary<string, string> { ["last"] = "a" } },
            ["build[2]"] = new() { JobId = "build", Name = "build (c)", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Outputs = new Dictionary<string, string> { ["last"] = "c" } },
        };

        var result = await _harness.RunAsync(Request(workflow, done));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["b", "after success"], File.ReadAllLines(Path.Combine(Shared, "marker")));
        Assert.Equal(["after", "build[0]", "build[1]", "build[2]"], result.Jobs.Select(j => j.Key).Order());
        Assert.Equal(["build[1]"], _harness.Observer.OfType<JobStartedEvent>().Where(e => e.JobId == "build").Select(e => e.JobKey));
    }

    [Fact]
    public async Task Resume_MatrixLegFailedWithFailFast_TheUnfinishedLegsAreCancelled()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    leg: [0, 1]
                steps:
                  - run: echo ${{ matrix.leg }} >> {{{Shared}}}/marker
            """);
        var lost = new CompletedJob { JobId = "test", Name = "test (0)", Outcome = Conclusion.Failure, Conclusion = Conclusion.Failure, Reason = "runner lost" };

        var result = await _harness.RunAsync(Request(workflow, new Dictionary<string, CompletedJob> { ["test[0]"] = lost }));

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal(Conclusion.Cancelled, result.Jobs.Single(j => j.Key == "test[1]").Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "marker")));
    }

    [Fact]
    public async Task Resume_CalledWorkflow_RunsOnlyItsUnfinishedJobs()
    {
        _harness.WriteRepositoryFile(".github/workflows/deploy.yml", $$$"""
            on:
              workflow_call:
                outputs:
                  url:
                    value: ${{ jobs.release.outputs.url }}
            jobs:
              release:
                runs-on: ubuntu-latest
                outputs:
                  url: ${{ steps.out.outputs.url }}
                steps:
                  - id: out
                    run: |
                      echo release >> {{{Shared}}}/marker
                      echo "url=https://new.example" >> "$GITHUB_OUTPUT"
              verify:
                needs: release
                runs-on: ubuntu-latest
                steps:
                  - run: echo "verify ${{ needs.release.outputs.url }}" >> {{{Shared}}}/marker
            """);
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              deploy:
                uses: ./.github/workflows/deploy.yml
              after:
                needs: deploy
                runs-on: ubuntu-latest
                steps:
                  - run: echo "after ${{ needs.deploy.outputs.url }}" >> {{{Shared}}}/marker
            """);
        var release = new CompletedJob
        {
            JobId = "release",
            Name = "deploy / release",
            Outcome = Conclusion.Success,
            Conclusion = Conclusion.Success,
            Outputs = new Dictionary<string, string> { ["url"] = "https://recorded.example" },
        };

        var result = await _harness.RunAsync(Request(workflow, new Dictionary<string, CompletedJob> { ["deploy/release"] = release }));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["verify https://recorded.example", "after https://recorded.example"], File.ReadAllLines(Path.Combine(Shared, "marker")));
    }

    private RunRequest Request(Core.Workflows.WorkflowDefinition workflow, IReadOnlyDictionary<string, CompletedJob>? completed = null, string? runId = null) => new()
    {
        Workflow = workflow,
        RepositoryDirectory = _harness.Repository,
        DataDirectory = _harness.Data,
        RunId = runId,
        CompletedJobs = completed ?? new Dictionary<string, CompletedJob>(),
    };

    /// <summary>The completed jobs of a run as a store would have recorded them from its events.</summary>
    private static Dictionary<string, CompletedJob> Recorded(RunResult run, params string[] keys) => keys
        .Select(key => run.Jobs.Single(j => j.Key == key))
        .ToDictionary(job => job.Key, job => new CompletedJob { JobId = job.JobId, Name = job.Name, Outcome = job.Outcome, Conclusion = job.Conclusion, Reason = job.Reason, Outputs = job.Outputs, MatrixJson = job.MatrixJson });
}
