using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

public sealed class JobGateTests : IDisposable
{
    private const string DeployToProduction = """
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: echo deployed
        """;

    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Pass_WithEnvironmentSecretsAndVariables_OnlyTheGatedJobSeesThemAndTheLogMasksThem()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "build sees [${{ secrets.DEPLOY_KEY }}] [${{ vars.REGION }}]" > {{{_harness.Shared}}}/build
              deploy:
                runs-on: ubuntu-latest
                environment:
                  name: prod-${{ github.event_name }}
                  url: https://example.test
                env:
                  KEY: ${{ secrets.DEPLOY_KEY }}
                steps:
                  - run: |
                      echo "$KEY ${{ vars.REGION }} ${{ vars.SHARED }}" > {{{_harness.Shared}}}/deploy
                      echo "key is $KEY"
            """);
        var gate = new FakeJobGate
        {
            Decide = (_, _) => Task.FromResult(JobGateDecision.Pass(
                new Dictionary<string, string> { ["DEPLOY_KEY"] = "k3y-of-production" },
                new Dictionary<string, string> { ["REGION"] = "eu-west" })),
        };

        var result = await _harness.RunAsync(_harness.Request(workflow, gate, new Dictionary<string, string> { ["SHARED"] = "run-wide" }));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var asked = Assert.Single(gate.Asked);
        Assert.Equal(("deploy", "prod-push", 1), (asked.JobKey, asked.Environment, asked.LegCount));
        Assert.Equal("k3y-of-production eu-west run-wide\n", _harness.ReadShared("deploy"));
        Assert.Equal("build sees [] []\n", _harness.ReadShared("build"));
        var log = File.ReadAllText(result.Jobs.Single(j => j.JobId == "deploy").Steps[0].LogPath!);
        Assert.Contains("key is ***", log, StringComparison.Ordinal);
        Assert.DoesNotContain("k3y-of-production", log, StringComparison.Ordinal);
        Assert.Equal("prod-push", _harness.Observer.OfType<JobStartedEvent>().Single(e => e.JobId == "deploy").Environment);
        var left = Assert.Single(gate.Left);
        Assert.Equal(Conclusion.Success, left.Result.Conclusion);
    }

    [Fact]
    public async Task Fail_JobFailsWithTheReasonWithoutSteps_AndTheFailureJobRuns()
    {
        var workflow = _harness.LoadWorkflow($$"""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: touch {{_harness.Shared}}/deployed
              notify:
                needs: deploy
                if: failure()
                runs-on: ubuntu-latest
                steps:
                  - run: touch {{_harness.Shared}}/notified
              smoke:
                needs: deploy
                runs-on: ubuntu-latest
                steps:
                  - run: touch {{_harness.Shared}}/smoked
            """);
        var gate = new FakeJobGate { Decide = (_, _) => Task.FromResult(JobGateDecision.Fail("Environment production: refs/heads/topic is not one of the allowed branches.")) };

        var result = await _harness.RunAsync(_harness.Request(workflow, gate));

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        var deploy = result.Jobs.Single(j => j.JobId == "deploy");
        Assert.Equal(Conclusion.Failure, deploy.Conclusion);
        Assert.Equal("Environment production: refs/heads/topic is not one of the allowed branches.", deploy.Reason);
        Assert.Empty(deploy.Steps);
        Assert.False(File.Exists(Path.Combine(_harness.Shared, "deployed")));
        Assert.True(File.Exists(Path.Combine(_harness.Shared, "notified")));
        Assert.Equal(Conclusion.Skipped, result.Jobs.Single(j => j.JobId == "smoke").Conclusion);
        Assert.Empty(gate.Left);
    }

    [Fact]
    public async Task Waiting_AParallelJobRunsAndReportsMeanwhile_OnTheOnlyHostSlot()
    {
        // build waits until deploy's gate is asked; with one host slot, that only ends if the waiting deploy holds no slot.
        var asked = Path.Combine(_harness.Shared, "asked");
        var workflow = _harness.LoadWorkflow($$"""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: echo deployed
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: while [ ! -f {{asked}} ]; do sleep 0.05; done
            """);
        var buildFinished = new TaskCompletionSource();
        var gate = new FakeJobGate
        {
            Decide = async (_, token) =>
            {
                await File.WriteAllTextAsync(asked, "", token);
                await buildFinished.Task.WaitAsync(token);
                return JobGateDecision.Pass();
            },
        };
        var observer = new RecordingObserver { OnEvent = e => { if (e is JobFinishedEvent { JobId: "build" }) { buildFinished.TrySetResult(); } } };

        var result = await _harness.RunAsync(_harness.Request(workflow, gate), new RunEngineOptions { MaxParallelJobs = 1 }, observer: observer);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var events = observer.Events;
        var buildDone = events.ToList().FindIndex(e => e is JobFinishedEvent { JobId: "build" });
        var deployStep = events.ToList().FindIndex(e => e is StepStartedEvent { JobKey: "deploy" });
        Assert.True(buildDone < deployStep, "build's events flowed while deploy waited at its gate");
    }

    [Fact]
    public async Task Matrix_EachLegIsAskedWithItsOwnEnvironment()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    region: [eu, us, ap]
                environment: prod-${{ matrix.region }}
                steps:
                  - run: echo ${{ matrix.region }}
            """);
        var gate = new FakeJobGate();

        var result = await _harness.RunAsync(_harness.Request(workflow, gate));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["prod-ap", "prod-eu", "prod-us"], gate.Asked.Select(r => r.Environment).Order(StringComparer.Ordinal));
        Assert.All(gate.Asked, r => Assert.Equal(3, r.LegCount));
        Assert.Equal(3, gate.Left.Count);
    }

    [Fact]
    public async Task Cancelled_WhileWaitingAtTheGate_JobEndsCancelledWithoutSteps()
    {
        var workflow = _harness.LoadWorkflow(DeployToProduction);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var gate = new FakeJobGate
        {
            Decide = async (_, token) =>
            {
                await cancel.CancelAsync();
                await Task.Delay(Timeout.Infinite, token);
                return JobGateDecision.Pass();
            },
        };

        var result = await _harness.RunAsync(_harness.Request(workflow, gate), cancel: cancel);

        Assert.Equal(Conclusion.Cancelled, result.Conclusion);
        var deploy = Assert.Single(result.Jobs);
        Assert.Equal(Conclusion.Cancelled, deploy.Conclusion);
        Assert.Empty(deploy.Steps);
        Assert.Empty(gate.Left);
    }

    [Fact]
    public async Task NoGate_EnvironmentJobRunsAtOnce()
    {
        var workflow = _harness.LoadWorkflow(DeployToProduction);

        var result = await _harness.RunAsync(_harness.Request(workflow));

        Assert.Equal(Conclusion.Success, result.Conclusion);
    }
}
