using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Approvals;

public sealed class FreezeOverrideTests
{
    // A window starts every minute and lasts an hour: production is always frozen.
    private const string Config = """
        environments:
          production:
            mode: deployment
            freeze:
              - cron: "* * * * *"
                duration: 1h
        """;

    private const string Delivery = """
        on: workflow_dispatch
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: echo deployed-to-production
        """;

    [Fact]
    public async Task Frozen_AdminOverridesWithAReason_TheJobDeploysAndTheOverrideIsAudited()
    {
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/delivery.yml", Delivery);
        repository.Commit("delivery");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var bob = await server.CreateUserAsync("bob", "developer");
        var run = await server.DispatchAsync("web", "delivery.yml");
        var id = run.Id.ToString(CultureInfo.InvariantCulture);

        var waiting = await EventuallyAsync(async () => (await server.GetRunAsync(run.Id)).Run is { Status: "waiting" } r ? r : null, "the run to wait at the freeze");
        var byDeveloper = await ShipgateProcess.RunAsync(["override-freeze", id, "--env", "production", "--reason", "hotfix"], ShipgateProcess.For(server, bob));
        HttpStatusCode withoutReason;
        using (var admin = server.AdminClient())
        {
            using var response = await admin.PostAsJsonAsync($"/api/v1/runs/{id}/freeze-override", new FreezeOverrideRequest("production", " "), ApiJsonContext.Default.FreezeOverrideRequest, Ct).DefaultTimeout();
            withoutReason = response.StatusCode;
        }

        var overridden = await ShipgateProcess.RunAsync(["override-freeze", id, "--env", "production", "--reason", "hotfix for the outage"], ShipgateProcess.For(server, server.AdminToken));
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");
        var store = server.Service<ServerStore>().Store;
        var decisions = await store.Deployments.ListGateDecisionsForRunAsync(run.Id, Ct).DefaultTimeout();
        var audit = await store.Audit.ListAsync(cancellationToken: Ct).DefaultTimeout();

        Assert.Equal("waiting", waiting.Status);
        Assert.Equal(3, byDeveloper.ExitCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason);
        Assert.True(overridden.ExitCode == 0, overridden.ToString());
        Assert.Equal("success", done.Conclusion);
        Assert.Contains(logs, e => e.Data.Contains("deployed-to-production", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d.Gate == "freeze" && d.JobKey == "deploy" && d.Reason.Contains("overridden by admin: hotfix for the outage", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "freeze.override" && a.Actor == "admin" && a.Reason == "hotfix for the outage" && a.Target == $"run/{id}");
    }
}
