using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary>
/// The real <c>shipgate up</c> process killed with SIGKILL mid-run (during a step, while a job waits for
/// its approval, between jobs), then started again on the same data and port: the run resumes.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string Config = """
        environments:
          production:
            mode: delivery
            approval:
              reviewers: [admin]
              required: 1
        """;

    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-crash-").FullName;
    private readonly string _marks = StepMarks.Create("shipgate-marks-").FullName;
    private readonly int _port = Ports.Free();

    public void Dispose()
    {
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_marks, recursive: true);
    }

    [Fact]
    public async Task KillDashNine_DuringAStep_TheJobFailsAsRunnerLostTheAlwaysJobRunsAndTheQueuedRunStillRuns()
    {
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", "environments:\n  staging:\n    mode: deployment\n");
        repository.Write(".github/workflows/slow.yml", $$$"""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: echo deploy >> {{{_marks}}}/slow && sleep 30
              notify:
                needs: deploy
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - run: echo "notify ${{ needs.deploy.result }}" >> {{{_marks}}}/slow
            """);
        repository.Write(".github/workflows/quick.yml", "on: workflow_dispatch\njobs:\n  quick:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo quick\n");
        repository.Commit("workflows");
        long quick = 0;
        var slow = await DispatchThenKillAsync(repository, "slow.yml", async (client, id) =>
        {
            await EventuallyAsync(async () => (await GetRunAsync(client, id)).Jobs.Any(j => j.Steps.Any(s => s.Status == "in_progress")) && Marks("slow").Length == 1 ? "started" : null, "the slow step to start");
            quick = await DispatchAsync(client, "quick.yml");
        });

        await using var second = await StartUpAsync();
        using var again = Client();
        var lost = await WaitForCompletedAsync(again, slow);
        var ran = await WaitForCompletedAsync(again, quick);
        var deployments = await DeploymentsAsync(again);
        await second.KillAsync();

        Assert.Equal("failure", lost.Run.Conclusion);
        var deploy = lost.Jobs.Single(j => j.Key == "deploy");
        Assert.Equal(("failure", "runner lost"), (deploy.Conclusion, deploy.Reason));
        Assert.Equal(("failure", "runner lost"), (deploy.Steps.Single().Conclusion, deploy.Steps.Single().Reason));
        Assert.Equal("success", lost.Jobs.Single(j => j.Key == "notify").Conclusion);
        Assert.Equal(["deploy", "notify failure"], Marks("slow"));
        Assert.Equal("success", ran.Run.Conclusion);

        // The deployment the lost job had started is not run again: it ends failed with its run.
        var deployment = Assert.Single(deployments);
        Assert.Equal(("failed", (long?)slow), (deployment.Status, deployment.Run));
    }

    [Fact]
    public async Task KillDashNine_DuringAStepOfAJobThatOptsIntoRetry_TheJobRunsAgainFromItsFirstStep()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/retry.yml", $$$"""
            on: workflow_dispatch
            jobs:
              test:
                runs-on: ubuntu-latest
                env:
                  SHIPGATE_RETRY_ON_RUNNER_LOST: true
                steps:
                  - run: |
                      echo try >> {{{_marks}}}/retry
                      if [ "$(wc -l < {{{_marks}}}/retry)" = 1 ]; then sleep 30; fi
            """);
        repository.Commit("retry");
        var run = await DispatchThenKillAsync(repository, "retry.yml", (_, _) => EventuallyAsync(async () => Marks("retry").Length == 1 ? "started" : null, "the step to start"));

        await using var second = await StartUpAsync();
        using var again = Client();
        var done = await WaitForCompletedAsync(again, run);
        await second.KillAsync();

        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal(["try", "try"], Marks("retry"));
    }

    [Fact]
    public async Task KillDashNine_WhileWaitingForApproval_TheApprovalStillWaitsAndTheDeployRunsOnceAfterIt()
    {
        using var repository = DeliveryRepository();
        var run = await DispatchThenKillAsync(repository, "delivery.yml", (client, _) => PendingApprovalAsync(client));

        await using var second = await StartUpAsync();
        using var again = Client();
        var pending = await PendingApprovalAsync(again);

        // Resumed by the new server: the deploy job is back at its gate, which finds the same approval.
        await EventuallyAsync(async () => (await GetRunAsync(again, run)).Run.Status == "waiting" && (await EventKindsAsync(again, run)).Contains("run.resumed") ? "waiting" : null, "the run to resume and wait again");
        using (var approved = await again.PostAsJsonAsync($"/api/v1/approvals/{pending.Id}/approve", new ApprovalDecisionRequest("after the crash"), ApiJsonContext.Default.ApprovalDecisionRequest, Ct).DefaultTimeout())
        {
            approved.EnsureSuccessStatusCode();
        }

        var done = await WaitForCompletedAsync(again, run);
        var approvals = await ApprovalsAsync(again);
        var logs = await again.GetStringAsync($"/api/v1/runs/{run}/logs", Ct).DefaultTimeout();
        var deployments = await DeploymentsAsync(again);
        await second.KillAsync();

        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal(["build", "deploy 1.0.1 payload"], Marks("delivery"));
        Assert.Equal(pending.Id, Assert.Single(approvals).Id);
        Assert.Contains("built-it", logs, StringComparison.Ordinal);
        var deployment = Assert.Single(deployments);
        Assert.Equal(("production", "succeeded", (long?)run), (deployment.Environment, deployment.Status, deployment.Run));
        Assert.Equal(["build", "deploy"], done.Jobs.Select(j => j.Key).Order());
    }

    [Fact]
    public async Task KillDashNine_BetweenJobs_TheFirstJobIsNotRunAgainAndADecisionMadeMeanwhileCounts()
    {
        using var repository = DeliveryRepository();
        var run = await DispatchThenKillAsync(repository, "delivery.yml", (client, id) =>
            EventuallyAsync(async () => (await GetRunAsync(client, id)).Jobs.FirstOrDefault(j => j.Key == "build" && j.Status == "completed"), "the first job to complete"));

        // Approved as soon as the API is back, while the run may still be held by the dead server's lease.
        await using var second = await StartUpAsync();
        using var again = Client();
        var pending = await PendingApprovalAsync(again);
        using (var approved = await again.PostAsJsonAsync($"/api/v1/approvals/{pending.Id}/approve", new ApprovalDecisionRequest(null), ApiJsonContext.Default.ApprovalDecisionRequest, Ct).DefaultTimeout())
        {
            approved.EnsureSuccessStatusCode();
        }

        var done = await WaitForCompletedAsync(again, run);
        var deployments = await DeploymentsAsync(again);
        await second.KillAsync();

        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal(["build", "deploy 1.0.1 payload"], Marks("delivery"));
        Assert.Equal("succeeded", Assert.Single(deployments).Status);
    }

    [Fact]
    public async Task KillDashNine_DuringAManualApprovalStep_TheJobIsRunnerLostAndItsApprovalExpires()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/manual.yml", $$$"""
            on: workflow_dispatch
            jobs:
              release:
                runs-on: ubuntu-latest
                steps:
                  - uses: trstringer/manual-approval@v1
                    with:
                      approvers: admin
                      minimum-approvals: 1
                  - run: echo released >> {{{_marks}}}/manual
            """);
        repository.Commit("manual");
        var run = await DispatchThenKillAsync(repository, "manual.yml", (client, _) => PendingApprovalAsync(client));

        await using var second = await StartUpAsync();
        using var again = Client();
        var done = await WaitForCompletedAsync(again, run);
        var approval = Assert.Single(await ApprovalsAsync(again));
        await second.KillAsync();

        Assert.Equal("failure", done.Run.Conclusion);
        Assert.Equal("runner lost", done.Jobs.Single().Reason);
        Assert.Equal("expired", approval.Status);
        Assert.Empty(Marks("manual"));
    }

    private TestRepository DeliveryRepository()
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/delivery.yml", $$$"""
            on: workflow_dispatch
            jobs:
              build:
                runs-on: ubuntu-latest
                outputs:
                  version: ${{ steps.v.outputs.version }}
                steps:
                  - id: v
                    run: |
                      echo build >> {{{_marks}}}/delivery
                      echo "version=1.0.$(wc -l < {{{_marks}}}/delivery)" >> "$GITHUB_OUTPUT"
                      echo built-it
                      echo payload > site.txt
                  - uses: actions/upload-artifact@v4
                    with:
                      name: site
                      path: site.txt
              deploy:
                needs: build
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - uses: actions/download-artifact@v4
                    with:
                      name: site
                  - run: echo "deploy ${{ needs.build.outputs.version }} $(cat site.txt)" >> {{{_marks}}}/delivery
            """);
        repository.Commit("delivery");
        return repository;
    }

    /// <summary>Starts <c>shipgate up</c>, adds the project, dispatches <paramref name="workflow"/>, waits for <paramref name="killWhen"/>, then SIGKILLs the server; returns the run.</summary>
    private async Task<long> DispatchThenKillAsync(TestRepository repository, string workflow, Func<HttpClient, long, Task> killWhen)
    {
        await using var server = await StartUpAsync();
        using var client = Client();
        await AddProjectAsync(client, repository);
        var run = await DispatchAsync(client, workflow);
        await killWhen(client, run);
        await server.KillAsync();
        return run;
    }

    private string[] Marks(string name)
    {
        var path = Path.Combine(_marks, name);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>
    /// <c>shipgate up</c> on this test's data and port, one run at a time (so a second dispatch stays queued
    /// while the first runs) and with a short lease (so a dead server's runs are resumed soon).
    /// </summary>
    private Task<ShipgateUp> StartUpAsync() =>
        ShipgateUp.StartOnAsync(_data, _port, new Dictionary<string, string> { ["Shipgate__MaxConcurrentRuns"] = "1", ["Shipgate__RunLease"] = "00:00:03" });

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/"), Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(_data, "admin.token")).Trim());
        return client;
    }

    private static async Task AddProjectAsync(HttpClient client, TestRepository repository)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/projects", new ProjectCreateRequest("web", repository.Root, null), ApiJsonContext.Default.ProjectCreateRequest, Ct).DefaultTimeout();
        response.EnsureSuccessStatusCode();
    }

    private static async Task<long> DispatchAsync(HttpClient client, string workflow)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/projects/web/dispatches", new DispatchRequest(workflow, null, null), ApiJsonContext.Default.DispatchRequest, Ct).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.DispatchResponse, Ct).DefaultTimeout())!.Run.Id;
    }

    private static async Task<RunDetailResponse> GetRunAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync($"/api/v1/runs/{id}", ApiJsonContext.Default.RunDetailResponse, Ct).DefaultTimeout())!;

    private static Task<RunDetailResponse> WaitForCompletedAsync(HttpClient client, long id) =>
        EventuallyAsync(async () => await GetRunAsync(client, id) is { Run.Status: "completed" } run ? run : null, $"run {id} to complete", TimeSpan.FromSeconds(90));

    private static async Task<ApprovalResponse[]> ApprovalsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync("/api/v1/approvals", ApiJsonContext.Default.ApprovalResponseArray, Ct).DefaultTimeout())!;

    private static async Task<DeploymentResponse[]> DeploymentsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync("/api/v1/deployments?project=web", ApiJsonContext.Default.DeploymentResponseArray, Ct).DefaultTimeout())!;

    private static Task<ApprovalResponse> PendingApprovalAsync(HttpClient client) =>
        EventuallyAsync(async () => (await ApprovalsAsync(client)).SingleOrDefault(a => a.Status == "pending"), "a pending approval");

    private static async Task<string> EventKindsAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync($"/api/v1/runs/{id}/events?follow=false", Ct).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        return string.Join(",", (await response.Content.ReadAsStringAsync(Ct).DefaultTimeout()).Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]));
    }
}
