using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Cli;

public sealed class RunCommandsTests
{
    [Fact]
    public async Task ProjectAddDispatchLogsRuns_EndToEnd_ThroughTheCli()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        var admin = ShipgateProcess.For(server, server.AdminToken);

        var added = await ShipgateProcess.RunAsync(["project", "add", "web", "--repo", repository.Root], admin);
        var dispatched = await ShipgateProcess.RunAsync(["dispatch", "web", "ci.yml", "--input", "greeting=salut"], admin);
        var logs = await ShipgateProcess.RunAsync(["logs", dispatched.LastLine, "--follow"], admin);
        var list = await ShipgateProcess.RunAsync(["runs", "list", "--project", "web", "--json"], admin);
        var show = await ShipgateProcess.RunAsync(["runs", "show", dispatched.LastLine], admin);
        var projects = await ShipgateProcess.RunAsync(["project", "list"], admin);

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal(64, added.LastLine.Length);
        Assert.True(dispatched.ExitCode == 0, dispatched.ToString());
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("build | line one salut", logs.Stdout, StringComparison.Ordinal);
        var runs = JsonSerializer.Deserialize(list.Stdout, ApiJsonContext.Default.RunResponseArray)!;
        Assert.Equal("success", Assert.Single(runs).Conclusion);
        Assert.Contains("1. Say: success", show.Stdout, StringComparison.Ordinal);
        Assert.Contains(repository.Root, projects.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_UnknownProject_Exit4()
    {
        await using var server = await RunningServer.StartAsync();

        var result = await ShipgateProcess.RunAsync(["dispatch", "nope", "ci.yml"], ShipgateProcess.For(server, server.AdminToken));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("There is no project 'nope'.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProjectAdd_NotARepository_Exit2()
    {
        await using var server = await RunningServer.StartAsync();
        var directory = Directory.CreateTempSubdirectory("shipgate-not-a-repo-");

        var result = await ShipgateProcess.RunAsync(["project", "add", "web", "--repo", directory.FullName], ShipgateProcess.For(server, server.AdminToken));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a git repository", result.Stderr, StringComparison.Ordinal);
        directory.Delete();
    }

    [Fact]
    public async Task ProjectAdd_Developer_Exit3()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        var developer = await server.CreateUserAsync("dev", "developer");

        var result = await ShipgateProcess.RunAsync(["project", "add", "web", "--repo", repository.Root], ShipgateProcess.For(server, developer));

        Assert.Equal(3, result.ExitCode);
    }
}
