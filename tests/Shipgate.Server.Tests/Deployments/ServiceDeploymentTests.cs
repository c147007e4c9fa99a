using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Tests.Rollouts;
using Shipgate.Server.Api;
using Shipgate.Server.Client;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Tests.Deployments;

public sealed class ServiceDeploymentTests : IAsyncLifetime
{
    private const string Config = """
        services:
          web:
            run: python3 app.py
        environments:
          staging:
            mode: deployment
            watch: 0s
            strategy: STRATEGY
            smoke:
              - name: home
                path: /
                body-contains: hello
        """;

    private const string Workflow = """
        on: workflow_dispatch
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: mkdir out && echo hi > out/app.txt
              - uses: actions/upload-artifact@v4
                with: { name: site, path: out }
          deploy:
            needs: build
            runs-on: ubuntu-latest
            environment: staging
            steps:
              - uses: shipgate/deploy@v1
                id: deploy
                with: { service: web, artifact: site }
              - run: echo "deployed ${{ steps.deploy.outputs.version }} at ${{ steps.deploy.outputs.url }}"
          cleanup:
            needs: deploy
            if: failure()
            runs-on: ubuntu-latest
            steps:
              - run: echo cleanup-after-failure
        """;

    private const string VerifyJob = """
          verify:
            needs: deploy
            runs-on: ubuntu-latest
            environment: staging
            steps:
              - uses: shipgate/verify@v1
                with:
                  service: web
                  checks: '[{"path": "/", "body-matches": "^hello from [0-9a-f]{7}$"}]'
              - uses: shipgate/verify@v1
                with:
                  service: web
                  checks: '[{"name": "missing page", "path": "/", "status": 404}]'

        """;

    private EdgeStandIn _standIn = null!;

    private FakeEdgeClient Edge => _standIn.Edge;

    public async ValueTask InitializeAsync() => _standIn = await EdgeStandIn.StartAsync();

    public async ValueTask DisposeAsync() => await _standIn.DisposeAsync();

    [Fact]
    public async Task Deploy_HealthyRelease_RecordedAsTheServicesDeploymentWithStepsAndMetrics()
    {
        using var repository = Repository();
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);

        var run = await server.DispatchAsync("shop", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");
        var version = Short(repository);
        var deployment = Assert.Single(await server.ListDeploymentsAsync("shop", "staging"));
        var status = await server.GetStatusAsync();
        var service = await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout();
        var table = await ShipgateProcess.RunAsync(["deployments", "shop", "--env", "staging"], ShipgateProcess.For(server, server.AdminToken));
        var statusTable = await ShipgateProcess.RunAsync(["status"], ShipgateProcess.For(server, server.AdminToken));

        Assert.Equal("success", done.Conclusion);
        Assert.Contains("rolling", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("wait-healthy preview smoke-before shift-traffic smoke-after watch", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(deployment.ArtifactDigest[..19], statusTable.Stdout, StringComparison.Ordinal);
        Assert.Equal(("web", "staging", version, "succeeded", "rolling"), (deployment.Service, deployment.Environment, deployment.Version, deployment.Status, deployment.Strategy));
        Assert.StartsWith("sha256:", deployment.ArtifactDigest, StringComparison.Ordinal);
        Assert.Equal(["app.txt"], Edge.UploadedFiles(deployment.ArtifactDigest));
        Assert.Contains(deployment.Steps, s => (s.Name, s.Outcome) == ("shift-traffic", "succeeded"));
        Assert.Contains(deployment.Metrics, m => m.Version == version && m.Requests == 10);
        Assert.Equal(1000, service!.Routing!.Weights[version]);
        // The job's record of entering staging became the service's: one entry, not two.
        Assert.Equal(("web", version), (Assert.Single(status).Service, status[0].Version));
        Assert.Contains(logs, e => e.Data.Contains("[shift-traffic] 100% to " + version, StringComparison.Ordinal));
        Assert.Contains(logs, e => e.Data.Contains($"deployed {version} at http://web.staging.localhost:{new Uri(Edge.ListenAddress).Port}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_SmokeFailsAfterTraffic_RolledBackWithEventAuditAndNotification_FailureStepsRun()
    {
        using var repository = Repository();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);
        await AddWebhookAsync(server, receiver.Url + "/rolled-back");
        var first = await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        var old = Short(repository);
        repository.Write("CHANGE", "2");
        repository.Commit("second");
        Edge.Behave(Short(repository), FakeReleaseBehaviour.FailsSmokeUnderTraffic);

        var run = await server.DispatchAsync("shop", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var detail = await server.GetRunAsync(run.Id);
        var events = await EventsAsync(server, run.Id);
        var post = await receiver.NextAsync();
        var deployment = (await server.ListDeploymentsAsync("shop", "staging")).First();
        using var admin = server.AdminClient();
        var audit = await admin.GetStringAsync("/api/v1/audit", Ct).DefaultTimeout();

        Assert.Equal("success", first.Conclusion);
        Assert.Equal("failure", done.Conclusion);
        Assert.Equal("success", Assert.Single(detail.Jobs, j => j.Key == "cleanup").Conclusion);
        Assert.Equal(("rolled-back", "Smoke check 'home' failed: expected status 200, got 500."), (deployment.Status, deployment.Reason));
        Assert.Equal(old, deployment.PreviousVersion);
        Assert.Contains(events, e => e.Kind == "deployment.rolled_back" && e.PayloadJson.Contains("got 500", StringComparison.Ordinal));
        Assert.Equal(("rolled-back", "staging"), (post.Json.GetProperty("event").GetString(), post.Json.GetProperty("environment").GetString()));
        Assert.Contains("deployment.rolled-back", audit, StringComparison.Ordinal);
        Assert.Equal(1000, (await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout())!.Routing!.Weights[old]);
    }

    [Fact]
    public async Task Rollback_ApproverSwitchesBackToTheWarmBlue_DeveloperRefused_BothAudited()
    {
        using var repository = Repository("blue-green");
        await using var server = await StartAsync();
        var (blue, green, second) = await DeployTwiceAsync(server, repository);
        var developer = await server.CreateUserAsync("dev", "developer");
        var approver = await server.CreateUserAsync("ann", "approver");

        var refused = await ShipgateProcess.RunAsync(["rollback", "web", "--env", "staging", "--reason", "bad checkout"], ShipgateProcess.For(server, developer));
        var rolled = await ShipgateProcess.RunAsync(["rollback", "web", "--env", "staging", "--reason", "bad checkout", "--json"], ShipgateProcess.For(server, approver));
        var nothingLeft = await ShipgateProcess.RunAsync(["rollback", "web", "--env", "staging", "--to", blue], ShipgateProcess.For(server, approver));
        var unknown = await ShipgateProcess.RunAsync(["rollback", "web", "--env", "staging", "--to", "nope"], ShipgateProcess.For(server, approver));
        using var admin = server.AdminClient();
        var audit = await admin.GetStringAsync("/api/v1/audit", Ct).DefaultTimeout();

        Assert.Equal("success", second.Conclusion);
        Assert.Equal(3, refused.ExitCode);
        Assert.True(rolled.ExitCode == 0, rolled.ToString());
        Assert.Contains($"\"version\":\"{blue}\"", rolled.Stdout, StringComparison.Ordinal);
        Assert.Contains("switch-back", rolled.Stdout, StringComparison.Ordinal);
        var routing = (await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout())!.Routing!;
        Assert.Equal((1000, 0), (routing.Weights[blue], routing.Weights[green]));
        Assert.Equal(4, nothingLeft.ExitCode);
        Assert.Contains("already serves", nothingLeft.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, unknown.ExitCode);
        Assert.Equal($"shipgate: web has no release nope.", unknown.Stderr.Trim());
        Assert.Contains("ann rolls web in staging back to " + blue + ": bad checkout.", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("dev rolls", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_ReleaseNoLongerWarm_DeployedAgainFromItsKeptArtifact()
    {
        using var repository = Repository();
        await using var server = await StartAsync();
        var (first, _, _) = await DeployTwiceAsync(server, repository);
        Assert.DoesNotContain(first, (await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout())!.Releases.Select(r => r.Version));

        var rolled = await ShipgateProcess.RunAsync(["rollback", "web", "--env", "staging", "--project", "shop"], ShipgateProcess.For(server, server.AdminToken));
        var deployment = (await server.ListDeploymentsAsync("shop", "staging")).First();

        Assert.True(rolled.ExitCode == 0, rolled.ToString());
        Assert.Equal((first, "succeeded", "rollback"), (deployment.Version, deployment.Status, deployment.Strategy));
        Assert.Contains(deployment.Steps, s => s.Name == "start-release");
        Assert.Equal(1000, (await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout())!.Routing!.Weights[first]);
    }

    [Fact]
    public async Task BlueGreen_RollbackWindowEnds_TheSweepStopsBlueAndAuditsIt()
    {
        using var repository = Repository("blue-green\n    rollback-window: 1s");
        await using var server = await StartAsync();
        var (blue, _, _) = await DeployTwiceAsync(server, repository);

        // The sweep stops blue, audits it, then clears the due time: wait for the last.
        var deployment = await EventuallyAsync(
            async () => (await server.ListDeploymentsAsync("shop", "staging")).First() is { KeepPreviousUntil: null } ended ? ended : null,
            "the sweep to end blue's rollback window");
        using var admin = server.AdminClient();
        var audit = await admin.GetStringAsync("/api/v1/audit", Ct).DefaultTimeout();

        Assert.Equal(blue, deployment.PreviousVersion);
        Assert.DoesNotContain(blue, (await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout())!.Releases.Select(r => r.Version));
        Assert.Contains($"web {blue} stopped in staging", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_InlineChecks_PassAgainstTheLiveRelease_AndAFailingCheckFailsTheStep()
    {
        using var repository = Repository(workflow: Workflow.Replace("  cleanup:", VerifyJob + "  cleanup:", StringComparison.Ordinal));
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);

        var done = await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        var lines = Lines(await server.ReadToEndAsync($"/api/v1/runs/{done.Id}/logs"));

        Assert.Equal("failure", done.Conclusion);
        Assert.Contains("  passed: GET /", lines);
        Assert.Contains("##[error]Smoke check 'missing page' failed: expected status 404, got 200.", lines);
    }

    [Fact]
    public async Task Deploy_NoEdgeConfigured_FailsWithOneSentence()
    {
        using var repository = Repository();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("shop", repository.Root);

        var done = await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{done.Id}/logs");

        Assert.Equal("failure", done.Conclusion);
        Assert.Contains(logs, e => e.Data.Contains("shipgate/deploy has no edge to deploy to: no edge is configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_JobWithoutEnvironmentOrUnknownArtifact_FailsWithOneSentenceEach()
    {
        using var repository = Repository(workflow: """
            on: workflow_dispatch
            jobs:
              loose:
                runs-on: ubuntu-latest
                steps:
                  - uses: shipgate/deploy@v1
                    with: { service: web, artifact: site }
              missing:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - uses: shipgate/deploy@v1
                    with: { service: web, artifact: nothing-uploaded }
            """);
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);

        var done = await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{done.Id}/logs");

        Assert.Equal("failure", done.Conclusion);
        Assert.Contains("##[error]shipgate/deploy deploys to the job's environment, and this job has none: add 'environment: NAME' to the job.", Lines(logs));
        Assert.Contains("##[error]This run has no artifact 'nothing-uploaded': upload it with actions/upload-artifact before deploying.", Lines(logs));
        Assert.Null(await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task LogsService_PrintsTheInstancesOutputThroughTheServer()
    {
        using var repository = Repository();
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);
        await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        Edge.Logs[Short(repository)] = ["listening on 8080", "GET / 200"];

        var logs = await ShipgateProcess.RunAsync(["logs", "--service", "web", "--env", "staging"], ShipgateProcess.For(server, server.AdminToken));
        var usage = await ShipgateProcess.RunAsync(["logs", "--service", "web"], ShipgateProcess.For(server, server.AdminToken));

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Equal([$"{Short(repository)}-1 listening on 8080", $"{Short(repository)}-1 GET / 200"], logs.Stdout.TrimEnd().Split('\n'));
        Assert.Equal(2, usage.ExitCode);
    }

    /// <summary>Adds the project and deploys two commits of it, one run each: the first's version, the second's, and the second run.</summary>
    private static async Task<(string First, string Second, RunResponse SecondRun)> DeployTwiceAsync(RunningServer server, TestRepository repository)
    {
        await server.AddProjectAsync("shop", repository.Root);
        await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        var first = Short(repository);
        repository.Write("CHANGE", "2");
        repository.Commit("second");
        var second = await server.WaitForCompletedRunAsync((await server.DispatchAsync("shop", "delivery.yml")).Id);
        return (first, Short(repository), second);
    }

    [Fact]
    public async Task Deploy_BranchLoosensStrategyAndSmoke_TheProtectedBranchsRulesApply()
    {
        using var repository = Repository("blue-green");
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);
        repository.Git("checkout", "--quiet", "-b", "loose");
        repository.Write("shipgate.yml", "services:\n  web:\n    run: python3 app.py\nenvironments:\n  staging:\n    mode: deployment\n    watch: 0s\n    strategy: rolling\n");
        repository.Commit("deploy my way: rolling, no smoke tests");

        var run = await server.DispatchAsync("shop", "delivery.yml", gitRef: "refs/heads/loose");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var deployment = Assert.Single(await server.ListDeploymentsAsync("shop", "staging"));

        Assert.Equal("success", done.Conclusion);
        Assert.Equal(("blue-green", Short(repository)), (deployment.Strategy, deployment.Version));
        Assert.Contains(deployment.Steps, s => s.Name == "preview");
        Assert.Contains(deployment.Steps, s => (s.Name, s.Outcome) == ("smoke-before", "succeeded"));
    }

    [Fact]
    public async Task Deploy_StrategyInputCanaryWithoutTheEnvironmentsSteps_FailsWithOneSentenceAndNothingIsDeployed()
    {
        // The canary's steps are the environment's, reviewed on the protected branch: a workflow cannot bring its own.
        using var repository = Repository(workflow: Workflow.Replace("with: { service: web, artifact: site }", "with: { service: web, artifact: site, strategy: canary }", StringComparison.Ordinal));
        await using var server = await StartAsync();
        await server.AddProjectAsync("shop", repository.Root);

        var run = await server.DispatchAsync("shop", "delivery.yml");
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var lines = Lines(await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs"));

        Assert.Equal("failure", done.Conclusion);
        Assert.Contains(lines, l => l.Contains("The input 'strategy: canary' needs its settings in shipgate.yml: environment staging deploys by rolling.", StringComparison.Ordinal));
        Assert.Null(await Edge.GetServiceAsync("staging", "web", Ct).DefaultTimeout());
    }

    private Task<RunningServer> StartAsync() =>
        RunningServer.StartAsync(services: collection => collection.AddSingleton<IEdgeClient>(Edge));

    private static TestRepository Repository(string strategy = "rolling", string workflow = Workflow)
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", Config.Replace("STRATEGY", strategy, StringComparison.Ordinal));
        repository.Write(".github/workflows/delivery.yml", workflow);
        repository.Commit("delivery");
        return repository;
    }

    private static List<string> Lines(IEnumerable<ServerSentEvent> logs) =>
        [.. logs.Where(e => e.Event == "output").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("line").GetString()!)];

    private static string Short(TestRepository repository) => repository.Git("rev-parse", "HEAD").Trim()[..7];

    private static async Task<IReadOnlyList<RunEventRecord>> EventsAsync(RunningServer server, long runId) =>
        await server.Service<ServerStore>().Store.Runs.ListEventsAsync(runId, cancellationToken: Ct).DefaultTimeout();


    private static async Task AddWebhookAsync(RunningServer server, string url)
    {
        using var admin = server.AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new NotificationWebhookRequest(url, Events: ["rolled-back"]), ApiJsonContext.Default.NotificationWebhookRequest, Ct).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
