using System.Globalization;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Approvals;

public sealed class EnvironmentGateTests
{
    private const string Config = """
        environments:
          staging:
            mode: deployment
          production:
            mode: delivery
            branches: [main]
            approval:
              reviewers: [alice]
              required: 1
              prevent-self-review: true
              unknown-authors: allow
        """;

    private const string Delivery = """
        on: workflow_dispatch
        jobs:
          staging:
            runs-on: ubuntu-latest
            environment: staging
            steps:
              - run: echo deployed-to-staging
          production:
            needs: staging
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: echo deployed-to-production
        """;

    [Fact]
    public async Task Delivery_ProductionApproved_StagingAutomaticThenProductionAfterTheApproval()
    {
        using var repository = Repository(Config);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var alice = await server.CreateUserAsync("alice", "approver", environments: ["production"]);
        var bob = await server.CreateUserAsync("bob", "developer");
        var run = await server.DispatchAsync("web", "delivery.yml", token: bob);

        var approval = await PendingAsync(server);
        var waiting = await server.GetRunAsync(run.Id);
        var decided = await ShipgateProcess.RunAsync(["approve", approval.Id.ToString(CultureInfo.InvariantCulture)], ShipgateProcess.For(server, alice));
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");
        var events = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/events");

        Assert.Equal("production", approval.Environment);
        Assert.Equal("waiting", waiting.Run.Status);
        Assert.True(decided.ExitCode == 0, decided.ToString());
        Assert.Equal("success", done.Conclusion);
        Assert.Contains(logs, e => e.Data.Contains("deployed-to-production", StringComparison.Ordinal));
        Assert.Equal(2, events.Count(e => e.Event == "environment.passed"));
    }

    [Fact]
    public async Task Delivery_ProductionRejected_NothingDeployedThereAndTheReasonOnTheRun()
    {
        using var repository = Repository(Config);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var alice = await server.CreateUserAsync("alice", "approver");
        var run = await server.DispatchAsync("web", "delivery.yml");

        var approval = await PendingAsync(server);
        var rejected = await ShipgateProcess.RunAsync(["reject", approval.Id.ToString(CultureInfo.InvariantCulture), "--comment", "not during the sale"], ShipgateProcess.For(server, alice));
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");

        Assert.True(rejected.ExitCode == 0, rejected.ToString());
        Assert.Equal("failure", done.Conclusion);
        Assert.Contains("Environment production", done.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, e => e.Data.Contains("deployed-to-production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delivery_WhileProductionWaits_AParallelJobRunsAndIsRecorded()
    {
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/delivery.yml", """
            on: workflow_dispatch
            jobs:
              production:
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: echo deployed-to-production
              lint:
                runs-on: ubuntu-latest
                steps:
                  - run: echo linted
            """);
        repository.Commit("delivery");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        await server.CreateUserAsync("alice", "approver");
        var run = await server.DispatchAsync("web", "delivery.yml");

        var approval = await PendingAsync(server);
        var meanwhile = await EventuallyAsync(async () => await server.GetRunAsync(run.Id) is { Jobs: var jobs } detail && jobs.Any(j => j is { Key: "lint", Conclusion: "success" }) ? detail : null, "the lint job to finish while production waits");

        Assert.Equal("production", approval.Environment);
        Assert.Equal("waiting", meanwhile.Run.Status);
        Assert.Equal("in_progress", Assert.Single(meanwhile.Jobs, j => j.Key == "production").Status);
    }

    [Fact]
    public async Task Delivery_MalformedShipgateYml_RunStopsWithThePositionedErrorBeforeAnyDeployment()
    {
        using var repository = Repository("environments:\n  staging:\n    mode: sometimes\n");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var run = await server.DispatchAsync("web", "delivery.yml");

        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");

        Assert.Equal("failure", done.Conclusion);
        Assert.Contains("shipgate.yml:3:", done.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, e => e.Data.Contains("deployed-to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approve_ApproverOfAnotherEnvironment_Exit3()
    {
        using var repository = Repository(Config.Replace("reviewers: [alice]", "reviewers: [alice, sam]", StringComparison.Ordinal));
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var sam = await server.CreateUserAsync("sam", "approver", environments: ["staging"]);
        await server.DispatchAsync("web", "delivery.yml");

        var approval = await PendingAsync(server);
        var result = await ShipgateProcess.RunAsync(["approve", approval.Id.ToString(CultureInfo.InvariantCulture)], ShipgateProcess.For(server, sam));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("for environment 'production'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_WhileARunWaitsForApproval_RunWaitsAgainAfterTheRestartWithItsApprovalPending()
    {
        using var repository = Repository(Config);
        string data;
        long runId;
        ApprovalResponse pending;
        await using (var server = await RunningServer.StartAsync())
        {
            server.KeepData = true;
            data = server.DataDirectory;
            await server.AddProjectAsync("web", repository.Root);
            runId = (await server.DispatchAsync("web", "delivery.yml")).Id;
            pending = await PendingAsync(server);
        }

        await using var restarted = await RunningServer.StartAsync(dataDirectory: data);
        var waiting = await EventuallyAsync(async () => await restarted.GetRunAsync(runId) is { Run.Status: "waiting" } run ? run : null, "the run to wait again");
        var stillPending = await PendingAsync(restarted);

        Assert.Equal(pending.Id, stillPending.Id);
        Assert.Null(waiting.Run.Conclusion);
    }

    private static TestRepository Repository(string config)
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", config);
        repository.Write(".github/workflows/delivery.yml", Delivery);
        repository.Commit("delivery");
        return repository;
    }

    private static Task<ApprovalResponse> PendingAsync(RunningServer server) =>
        EventuallyAsync(async () =>
        {
            using var client = server.AdminClient();
            return (await client.GetFromJsonAsync("/api/v1/approvals?status=pending", ApiJsonContext.Default.ApprovalResponseArray, Ct))?.FirstOrDefault();
        }, "a pending approval");
}
