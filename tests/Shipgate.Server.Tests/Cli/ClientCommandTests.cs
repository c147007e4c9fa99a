using System.Net;
using Shipgate.Cli.Commands;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Cli;

public sealed class ClientCommandTests
{
    [Fact]
    public async Task UserAdd_Admin_PrintsWorkingTokenAsLastLine()
    {
        await using var server = await RunningServer.StartAsync();

        var result = await ShipgateProcess.RunAsync(["user", "add", "alice", "--email", "alice@example.com", "--role", "approver", "--env", "production"], ShipgateProcess.For(server, server.AdminToken));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var alice = server.ClientWith(result.LastLine);
        using var response = await alice.GetAsync("/api/v1/user", Ct).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UserAdd_NoToken_Exit3WithServerSentence()
    {
        await using var server = await RunningServer.StartAsync();

        var result = await ShipgateProcess.RunAsync(["user", "add", "alice", "--role", "viewer"], ShipgateProcess.For(server, null));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("SHIPGATE_TOKEN", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task UserAdd_Viewer_Exit3NamingTheRole()
    {
        await using var server = await RunningServer.StartAsync();
        var viewer = await server.CreateUserAsync("victor", "viewer");

        var result = await ShipgateProcess.RunAsync(["user", "add", "alice", "--role", "viewer"], ShipgateProcess.For(server, viewer));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("needs the admin role", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_Twice_Exit4()
    {
        await using var server = await RunningServer.StartAsync();
        await server.CreateUserAsync("alice", "viewer");

        var result = await ShipgateProcess.RunAsync(["user", "add", "alice", "--role", "viewer"], ShipgateProcess.For(server, server.AdminToken));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("exists already", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCreateThenRevoke_OwnToken_TokenStopsWorking()
    {
        await using var server = await RunningServer.StartAsync();
        var developer = await server.CreateUserAsync("dev", "developer");

        var created = await ShipgateProcess.RunAsync(["token", "create", "--name", "ci"], ShipgateProcess.For(server, developer));
        var id = created.Stderr.Split("token ")[1].Split(' ')[0];
        var revoked = await ShipgateProcess.RunAsync(["token", "revoke", id], ShipgateProcess.For(server, developer));
        var again = await ShipgateProcess.RunAsync(["token", "revoke", id], ShipgateProcess.For(server, developer));

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(4, again.ExitCode);
        using var client = server.ClientWith(created.LastLine);
        using var response = await client.GetAsync("/api/v1/user", Ct).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ClientCommand_NoServer_Exit1SayingItIsNotRunning()
    {
        var url = $"http://127.0.0.1:{Ports.Free()}/";

        var result = await ShipgateProcess.RunAsync(["user", "list"], new Dictionary<string, string?> { ["SHIPGATE_URL"] = url, ["SHIPGATE_TOKEN"] = "x" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"No Shipgate server is running at {url}", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, 3)]
    [InlineData(HttpStatusCode.Forbidden, 3)]
    [InlineData(HttpStatusCode.NotFound, 4)]
    [InlineData(HttpStatusCode.Conflict, 4)]
    [InlineData(HttpStatusCode.BadRequest, 2)]
    [InlineData(HttpStatusCode.UnprocessableEntity, 2)]
    [InlineData(HttpStatusCode.InternalServerError, 1)]
    public void ExitCode_Status_MapsAsDesigned(HttpStatusCode status, int expected) =>
        Assert.Equal(expected, ServerConnection.ExitCode(status));
}
