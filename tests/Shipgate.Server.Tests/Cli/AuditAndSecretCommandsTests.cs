using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Cli;

public sealed class AuditAndSecretCommandsTests
{
    [Fact]
    public async Task AuditVerify_WholeChain_Exit0_TamperedEntry_Exit1NamingIt()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = ShipgateProcess.For(server, server.AdminToken);
        await server.CreateUserAsync("alice", "viewer");
        await server.CreateUserAsync("bob", "developer");

        var whole = await ShipgateProcess.RunAsync(["audit", "verify"], admin);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "shipgate.db")};Pooling=false"))
        {
            await connection.OpenAsync(Ct).DefaultTimeout();
            using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE audit_log SET actor = 'mallory' WHERE sequence = 2";
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync(Ct).DefaultTimeout());
        }

        var broken = await ShipgateProcess.RunAsync(["audit", "verify"], admin);

        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("at entry 2", broken.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditExport_Jsonl_OneEntryALineInOrderThenTheCheckpoint()
    {
        await using var server = await RunningServer.StartAsync();
        await server.CreateUserAsync("alice", "viewer");

        var export = await ShipgateProcess.RunAsync(["audit", "export", "--format", "jsonl"], ShipgateProcess.For(server, server.AdminToken));

        Assert.True(export.ExitCode == 0, export.ToString());
        var lines = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines[..^1].Select(line => JsonSerializer.Deserialize(line, ApiJsonContext.Default.AuditEntryResponse)!).ToList();
        Assert.StartsWith($"{{\"checkpoint\":\"{entries.Count} {entries[^1].Hash} ", lines[^1], StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Contains(entries, e => e.Action == "user.create" && e.Target == "user/alice" && e.Actor == "admin");
    }

    [Fact]
    public async Task SecretAndVarSet_ThenRun_SecretMaskedAndVariableSeen()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/show.yml", "on: workflow_dispatch\njobs:\n  show:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"secret=${{ secrets.API_KEY }} var=${{ vars.REGION }}\"\n");
        repository.Commit("show");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var admin = ShipgateProcess.For(server, server.AdminToken);

        var secret = await ShipgateProcess.RunAsync(["secret", "set", "API_KEY"], admin, standardInput: "s3cr3t-value\n");
        var variable = await ShipgateProcess.RunAsync(["var", "set", "REGION", "eu-west"], admin);
        var run = await server.DispatchAsync("web", "show.yml");
        await server.WaitForCompletedRunAsync(run.Id);
        var events = await server.ReadToEndAsync($"/api/v1/runs/{run.Id}/logs");
        var audit = await ShipgateProcess.RunAsync(["audit", "export"], admin);

        Assert.True(secret.ExitCode == 0, secret.ToString());
        Assert.True(variable.ExitCode == 0, variable.ToString());
        var line = Assert.Single(events, e => e.Event == "output").Data;
        Assert.Contains("secret=*** var=eu-west", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("secret.set", audit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretSet_Developer_Exit3()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var developer = await server.CreateUserAsync("dev", "developer");

        var result = await ShipgateProcess.RunAsync(["secret", "set", "--project", "web", "API_KEY"], ShipgateProcess.For(server, developer), standardInput: "x");

        Assert.Equal(3, result.ExitCode);
    }
}
