using System.Globalization;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Tests.Deployments;

public sealed class EnvironmentDeploymentTests : IDisposable
{
    private const string Config = """
        environments:
          staging:
            mode: deployment
          production:
            mode: deployment
            branches: [release/*]
        """;

    private readonly DirectoryInfo _shared = StepMarks.Create("shipgate-deploy-test-");

    public void Dispose() => _shared.Delete(recursive: true);

    [Fact]
    public async Task EnvironmentSecret_ReachesTheGatedJobMasked_NotTheOtherJob_PolicyRecorded_StatusShowsTheRelease()
    {
        using var repository = Repository("""
            on: workflow_dispatch
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "build sees [${{ secrets.DEPLOY_KEY }}] [${{ vars.REGION }}]"
              deploy:
                needs: build
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: |
                      echo "$KEY" > SHARED/key
                      echo "key is $KEY in ${{ vars.REGION }}"
                    env:
                      KEY: ${{ secrets.DEPLOY_KEY }}
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var secret = await ShipgateProcess.RunAsync(["secret", "set", "DEPLOY_KEY", "--project", "web", "--env", "staging"], ShipgateProcess.For(server, server.AdminToken), "st4ging-k3y\n");
        var variable = await ShipgateProcess.RunAsync(["var", "set", "REGION", "eu-west", "--project", "web", "--env", "staging"], ShipgateProcess.For(server, server.AdminToken));
        Assert.True(secret.ExitCode == 0, secret.ToString());
        Assert.True(variable.ExitCode == 0, variable.ToString());

        var run = await server.DispatchAsync("web", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");
        var kinds = (await Events(server, run.Id)).Select(e => e.Kind).ToList();
        var status = await server.GetStatusAsync();
        var decisions = await server.Service<ServerStore>().Store.Deployments.ListGateDecisionsForRunAsync(run.Id, Ct).DefaultTimeout();

        Assert.Equal("success", done.Conclusion);
        Assert.Equal("st4ging-k3y", File.ReadAllText(Path.Combine(_shared.FullName, "key")).Trim());
        Assert.Contains(logs, e => e.Data.Contains("build sees [] []", StringComparison.Ordinal));
        Assert.Contains(logs, e => e.Data.Contains("key is *** in eu-west", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Data.Contains("st4ging-k3y", StringComparison.Ordinal));
        Assert.Equal(["deployment.started", "deployment.succeeded"], kinds.Where(k => k.StartsWith("deployment.", StringComparison.Ordinal)));
        Assert.Contains(decisions, d => (d.Gate, d.Result, d.Reason, d.JobKey) == ("mode", GateResult.Pass, "automatic by policy", "deploy"));
        var current = Assert.Single(status);
        Assert.Equal(("web", "staging", "web", Short(repository)), (current.Project, current.Environment, current.Service, current.Version));
    }

    [Fact]
    public async Task RefusedGate_JobFailsWithTheReason_FailureJobRuns_RunFails()
    {
        using var repository = Repository("""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: echo deployed-to-production
              rollback:
                needs: deploy
                if: failure()
                runs-on: ubuntu-latest
                steps:
                  - run: echo rolled-back
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var run = await server.DispatchAsync("web", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var detail = await server.GetRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");

        Assert.Equal("failure", done.Conclusion);
        Assert.Contains("Environment production", done.Reason, StringComparison.Ordinal);
        var deploy = Assert.Single(detail.Jobs, j => j.Key == "deploy");
        Assert.Equal("failure", deploy.Conclusion);
        Assert.Contains("Environment production", deploy.Reason, StringComparison.Ordinal);
        Assert.Equal("success", Assert.Single(detail.Jobs, j => j.Key == "rollback").Conclusion);
        Assert.Contains(logs, e => e.Data.Contains("rolled-back", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Data.Contains("deployed-to-production", StringComparison.Ordinal));
        Assert.Empty(await server.Service<ServerStore>().Store.Deployments.ListDeploymentsAsync(await ProjectIdAsync(server), cancellationToken: Ct).DefaultTimeout());
    }

    [Fact]
    public async Task TwoRuns_SameEnvironment_TheSecondWaitsForTheFirstsDeploymentThenRuns()
    {
        using var repository = Repository("""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: |
                      echo "$GITHUB_RUN_ID" >> SHARED/started
                      while [ ! -f SHARED/go ]; do sleep 0.05; done
                      echo "deploying run $GITHUB_RUN_ID"
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var store = server.Service<ServerStore>().Store;
        var projectId = await ProjectIdAsync(server);

        var first = await server.DispatchAsync("web", "delivery.yml");
        await EventuallyAsync(async () => File.Exists(Started) ? "" : null, "the first run's deploy step to start");
        var second = await server.DispatchAsync("web", "delivery.yml");
        var queued = await EventuallyAsync(async () => (await Events(server, second.Id)).FirstOrDefault(e => e.Kind == "deployment.queued"), "the second run's deployment to queue");
        var waiting = (await server.GetRunAsync(second.Id)).Run;
        var startedWhileQueued = File.ReadAllLines(Started);
        var firstDeployment = Assert.Single(await store.Deployments.ListDeploymentsAsync(projectId, "staging", cancellationToken: Ct).DefaultTimeout(), d => d.RunId == first.Id);
        await File.WriteAllTextAsync(Path.Combine(_shared.FullName, "go"), "", Ct);
        var firstDone = await server.WaitForCompletedRunAsync(first.Id);
        var secondDone = await server.WaitForCompletedRunAsync(second.Id);
        var deployments = await server.ListDeploymentsAsync("web", "staging");

        Assert.Equal("waiting", waiting.Status);
        Assert.Equal([first.Id.ToString(CultureInfo.InvariantCulture)], startedWhileQueued);
        Assert.Contains($"waiting for deployment {firstDeployment.Id} of web to staging", queued.PayloadJson, StringComparison.Ordinal);
        Assert.Equal(("success", "success"), (firstDone.Conclusion, secondDone.Conclusion));
        Assert.Equal(2, deployments.Length);
        Assert.All(deployments, d => Assert.Equal(("succeeded", "web", "staging", Short(repository)), (d.Status, d.Service, d.Environment, d.Version)));
        var (earlier, later) = (deployments.Single(d => d.Run == first.Id), deployments.Single(d => d.Run == second.Id));
        Assert.True(later.StartedAt >= earlier.FinishedAt, "the second deployment started after the first ended");
    }

    [Fact]
    public async Task MatrixLegs_ShareTheRunsOneDeployment_ThatEndsWithTheLastLeg()
    {
        using var repository = Repository("""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    region: [eu, us, ap]
                environment: staging
                steps:
                  - run: echo deployed-to-${{ matrix.region }}
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var run = await server.DispatchAsync("web", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var kinds = (await Events(server, run.Id)).Select(e => e.Kind).ToList();
        var deployments = await server.Service<ServerStore>().Store.Deployments.ListDeploymentsAsync(await ProjectIdAsync(server), cancellationToken: Ct).DefaultTimeout();

        Assert.Equal("success", done.Conclusion);
        Assert.Equal(DeploymentStatus.Succeeded, Assert.Single(deployments).Status);
        Assert.Equal(["deployment.started", "deployment.succeeded"], kinds.Where(k => k.StartsWith("deployment.", StringComparison.Ordinal)));
        Assert.True(kinds.IndexOf("deployment.succeeded") < kinds.IndexOf("run.finished"), "the deployment ended before the run did");
    }

    [Fact]
    public async Task OpenDeploymentOfACompletedRun_DoesNotHoldTheEnvironment_ItEndsFailed()
    {
        using var repository = Repository("""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: echo deploying
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var store = server.Service<ServerStore>().Store;
        var projectId = await ProjectIdAsync(server);
        var lost = await server.DispatchAsync("web", "delivery.yml");
        await server.WaitForCompletedRunAsync(lost.Id);

        // As if the server had died mid-deployment: the run ended (runner lost), its deployment stayed active.
        var release = await store.Deployments.GetOrCreateReleaseAsync(new NewRelease { ProjectId = projectId, Service = "web", Version = "0.9.0", ArtifactDigest = "git:old", CommitSha = "old" }, Ct).DefaultTimeout();
        var stale = await store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = "staging", Strategy = "workflow", RunId = lost.Id, JobKey = "deploy" }, cancellationToken: Ct).DefaultTimeout();
        await store.Deployments.TryTransitionAsync(stale.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout();
        var run = await server.DispatchAsync("web", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var ended = await store.Deployments.GetDeploymentAsync(stale.Id, Ct).DefaultTimeout();

        Assert.Equal("success", done.Conclusion);
        Assert.Equal(DeploymentStatus.Failed, ended!.Status);
        Assert.Equal("Its run ended before the deployment did.", ended.Reason);
    }

    private string Started => Path.Combine(_shared.FullName, "started");

    private TestRepository Repository(string workflow)
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/delivery.yml", workflow.Replace("SHARED", _shared.FullName, StringComparison.Ordinal));
        repository.Commit("delivery");
        return repository;
    }

    private static string Short(TestRepository repository) => repository.Git("rev-parse", "HEAD").Trim()[..7];

    private static async Task<IReadOnlyList<RunEventRecord>> Events(RunningServer server, long runId) =>
        await server.Service<ServerStore>().Store.Runs.ListEventsAsync(runId, cancellationToken: Ct).DefaultTimeout();

    private static async Task<long> ProjectIdAsync(RunningServer server) =>
        (await server.Service<ServerStore>().Store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!.Id;
}
