using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary>
/// The real <c>shipgate up</c> process killed with SIGKILL mid-run (during a step, while a job waits for
/// its approval, between jobs), or stopped cleanly with SIGTERM (issue #7, finding 9), then started again on
/// the same data and port: the run resumes. An approval of a run that ended cannot be decided and notifies nobody.
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KillDashNineOrStop_DuringAStep_TheJobFailsAsRunnerLostTheAlwaysJobRunsAndTheQueuedRunStillRuns(bool cleanStop)
    {
        // A duration of its own per case, to find the step's process among the machine's.
        var sleep = cleanStop ? "37" : "38";
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", "environments:\n  staging:\n    mode: deployment\n");
        repository.Write(".github/workflows/slow.yml", $$$"""
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: echo deploy >> {{{_marks}}}/slow && sleep {{{sleep}}}
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
        }, cleanStop);

        // A clean stop stops the step's processes with the server (after kill -9 they are nobody's to stop).
        if (cleanStop)
        {
            Assert.DoesNotContain(Processes(), p => p.Contains("sleep 37", StringComparison.Ordinal));
        }

        await using var second = await StartUpAsync();
        using var again = Client();
        var lost = await WaitForCompletedAsync(again, slow);
        var ran = await WaitForCompletedAsync(again, quick);
        // The run's deployments end just after the run is recorded completed.
        var deployments = await EventuallyAsync(async () => await DeploymentsAsync(again) is [{ Status: not "progressing" }] ended ? ended : null, "the lost deployment to end");
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KillDashNineOrStop_DuringAStepOfAJobThatOptsIntoRetry_TheJobRunsAgainFromItsFirstStep(bool cleanStop)
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
        var run = await DispatchThenKillAsync(repository, "retry.yml", (_, _) => EventuallyAsync(async () => Marks("retry").Length == 1 ? "started" : null, "the step to start"), cleanStop);

        await using var second = await StartUpAsync();
        using var again = Client();
        var done = await WaitForCompletedAsync(again, run);
        await second.KillAsync();

        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal(["try", "try"], Marks("retry"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KillDashNineOrStop_WhileWaitingForApproval_TheApprovalStillWaitsAndTheDeployRunsOnceAfterIt(bool cleanStop)
    {
        using var repository = DeliveryRepository();
        var run = await DispatchThenKillAsync(repository, "delivery.yml", (client, _) => PendingApprovalAsync(client), cleanStop);

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

    [Fact]
    public async Task Cancel_WhileARunWaitsForApproval_TheApprovalIsCancelledCannotBeApprovedAndNotifiesNobody()
    {
        using var repository = DeliveryRepository();
        repository.Write(".github/workflows/broken.yml", "on: workflow_dispatch\njobs:\n  fail:\n    runs-on: ubuntu-latest\n    steps:\n      - run: exit 1\n");
        repository.Commit("broken");
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartUpAsync();
        using var client = Client();
        await AddProjectAsync(client, repository);
        using (var added = await client.PostAsJsonAsync("/api/v1/webhooks", new NotificationWebhookRequest(receiver.Url + "/hooks"), ApiJsonContext.Default.NotificationWebhookRequest, Ct).DefaultTimeout())
        {
            added.EnsureSuccessStatusCode();
        }

        var run = await DispatchAsync(client, "delivery.yml");
        var pending = await PendingApprovalAsync(client);
        var waiting = await receiver.NextAsync();
        using (var cancelled = await client.PostAsync($"/api/v1/runs/{run}/cancel", null, Ct).DefaultTimeout())
        {
            cancelled.EnsureSuccessStatusCode();
        }

        var done = await WaitForCompletedAsync(client, run);
        var approval = (await ApprovalsAsync(client)).Single(a => a.Id == pending.Id);
        var approve = await server.RunAsync(["approve", pending.Id.ToString(CultureInfo.InvariantCulture)]);
        using var api = await client.PostAsJsonAsync($"/api/v1/approvals/{pending.Id}/approve", new ApprovalDecisionRequest(null), ApiJsonContext.Default.ApprovalDecisionRequest, Ct).DefaultTimeout();
        var problem = await api.Content.ReadAsStringAsync(Ct).DefaultTimeout();

        // The next notification is the failed run dispatched after: nothing was posted for the cancelled approval.
        var failed = await DispatchAsync(client, "broken.yml");
        var next = await receiver.NextAsync();
        var audit = await client.GetStringAsync("/api/v1/audit", Ct).DefaultTimeout();
        var afterwards = (await ApprovalsAsync(client)).Single(a => a.Id == pending.Id);

        Assert.Equal("waiting", waiting.Json.GetProperty("event").GetString());
        Assert.Equal("cancelled", done.Run.Conclusion);
        Assert.Equal("cancelled", approval.Status);
        Assert.Equal(4, approve.ExitCode);
        Assert.Contains($"Approval {pending.Id} ended with its run (cancelled).", approve.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        Assert.Contains($"Approval {pending.Id} ended with its run (cancelled).", problem, StringComparison.Ordinal);
        Assert.Equal(("failed", failed), (next.Json.GetProperty("event").GetString(), next.Json.GetProperty("run").GetProperty("id").GetInt64()));
        Assert.Contains("approval.cancel", audit, StringComparison.Ordinal);
        Assert.Equal("cancelled", afterwards.Status);
        Assert.Equal(["build"], Marks("delivery"));
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

    /// <summary>
    /// Starts <c>shipgate up</c>, adds the project, dispatches <paramref name="workflow"/>, waits for <paramref name="killWhen"/>,
    /// then SIGKILLs the server (or, with <paramref name="cleanStop"/>, stops it with SIGTERM, which must exit 0); returns the run.
    /// </summary>
    private async Task<long> DispatchThenKillAsync(TestRepository repository, string workflow, Func<HttpClient, long, Task> killWhen, bool cleanStop = false)
    {
        await using var server = await StartUpAsync();
        using var client = Client();
        await AddProjectAsync(client, repository);
        var run = await DispatchAsync(client, workflow);
        await killWhen(client, run);
        if (cleanStop)
        {
            Assert.Equal(0, await server.StopAsync());
        }
        else
        {
            await server.KillAsync();
        }

        return run;
    }

    private string[] Marks(string name)
    {
        var path = Path.Combine(_marks, name);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>The command lines of the machine's processes.</summary>
    private static List<string> Processes()
    {
        var lines = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                lines.Add(File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' '));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not a process, or one that ended meanwhile.
            }
        }

        return lines;
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
