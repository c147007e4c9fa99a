using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary>
/// The server on PostgreSQL: a throwaway cluster from Debian's binaries (the store tests' fixture; it fails,
/// saying how to install them, when they are missing), a schema of its own for each test.
/// </summary>
public sealed class PostgreSqlServerTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Dispatch_OnPostgreSql_RunCompletesWithItsLogs()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var run = await server.DispatchAsync("web", "ci.yml", new Dictionary<string, string> { ["greeting"] = "'; DROP TABLE runs; --" });
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var logs = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");
        var detail = await server.GetRunAsync(run.Id);

        Assert.Equal("success", done.Conclusion);
        Assert.Contains(logs, e => e.Event == "output" && JsonDocument.Parse(e.Data).RootElement.GetProperty("line").GetString() == "line one '; DROP TABLE runs; --");
        Assert.All(Assert.Single(detail.Jobs).Steps, s => Assert.Equal("success", s.Conclusion));
    }

    [Fact]
    public async Task EnvironmentApproval_OnPostgreSql_DecidedByAliceThenDeployedAndTheAuditChainVerifies()
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var alice = await server.CreateUserAsync("alice", "approver");
        var run = await server.DispatchAsync("web", "delivery.yml");

        var approval = await EventuallyAsync(async () =>
        {
            using var client = server.AdminClient();
            return (await client.GetFromJsonAsync("/api/v1/approvals?status=pending", ApiJsonContext.Default.ApprovalResponseArray, Ct))?.FirstOrDefault();
        }, "a pending approval");
        var approved = await ShipgateProcess.RunAsync(["approve", approval.Id.ToString(CultureInfo.InvariantCulture), "--comment", "ok"], ShipgateProcess.For(server, alice));
        var done = await server.WaitForCompletedRunAsync(run.Id);
        var verified = await ShipgateProcess.RunAsync(["audit", "verify"], ShipgateProcess.For(server, server.AdminToken));
        using var admin = server.AdminClient();
        var verification = await admin.GetFromJsonAsync("/api/v1/audit/verify", ApiJsonContext.Default.AuditVerificationResponse, Ct).DefaultTimeout();

        Assert.Equal("production", approval.Environment);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Conclusion);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.True(verification!.Valid);
        Assert.True(verification.Entries >= 4, $"{verification.Entries} audit entries: the admin, the project, alice and the approval at least.");
    }

    [Fact]
    public async Task ShipgateUp_WithDbOption_RunsOnPostgreSqlAndKeepsTheRunsAcrossARestart()
    {
        using var repository = TestRepository.WithCiWorkflow();
        var connection = await postgres.CreateSchemaAsync(Ct).DefaultTimeout();
        long id;
        string token;
        await using (var first = await ShipgateUp.StartAsync("--db", connection))
        {
            token = first.AdminToken;
            var project = await first.RunAsync(["project", "add", "web", "--repo", repository.Root]);
            Assert.True(project.ExitCode == 0, project.ToString());
            var dispatched = await first.RunAsync(["dispatch", "web", "ci.yml"]);
            Assert.True(dispatched.ExitCode == 0, dispatched.ToString());
            id = (await first.JsonAsync(["runs", "list"], ApiJsonContext.Default.RunResponseArray)).Single().Id;
            await EventuallyAsync(
                async () => await first.JsonAsync(["runs", "show", id.ToString(CultureInfo.InvariantCulture)], ApiJsonContext.Default.RunDetailResponse) is { Run.Status: "completed" } detail ? detail : null,
                $"run {id} to complete",
                TimeSpan.FromSeconds(60));
        }

        // A second server on the same database, with another data directory, knows the run and the admin: the store is PostgreSQL.
        await using var second = await ShipgateUp.StartAsync("--db", connection);
        var runs = await second.JsonAsync(["runs", "list"], ApiJsonContext.Default.RunResponseArray, token);

        Assert.False(File.Exists(Path.Combine(second.DataDirectory, "admin.token")));
        var run = Assert.Single(runs);
        Assert.Equal(id, run.Id);
        Assert.Equal("success", run.Conclusion);
    }

    private async Task<RunningServer> StartAsync()
    {
        var connection = await postgres.CreateSchemaAsync(Ct).DefaultTimeout();
        return await RunningServer.StartAsync(options => options.Database = connection);
    }
}
