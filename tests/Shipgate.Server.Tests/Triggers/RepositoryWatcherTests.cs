using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Triggers;

public sealed class RepositoryWatcherTests
{
    [Fact]
    public async Task Commit_OnWatchedBranch_StartsTheMatchingRunAsItsAuthor()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.CreateUserAsync("dev", "developer", emails: ["dev@example.com"]);
        await server.AddProjectAsync("web", repository.Root);

        repository.Write("src/app.txt", "2");
        var sha = repository.Commit("change the app");
        var started = await EventuallyAsync(async () => (await server.ListRunsAsync("web")).FirstOrDefault(r => r.Sha == sha), "a run of the new commit");
        var run = await server.WaitForCompletedRunAsync(started.Id);

        Assert.Equal("push", run.Event);
        Assert.Equal("refs/heads/main", run.Ref);
        Assert.Equal("dev", run.Actor);
        Assert.Equal("success", run.Conclusion);
    }

    [Fact]
    public async Task Commit_OutsideThePathFilter_StartsNoRun()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var watcher = server.Service<RepositoryWatcher>();

        repository.Write("docs/readme.md", "docs only");
        var docs = repository.Commit("docs");
        await watcher.PollAsync(Ct).DefaultTimeout();
        repository.Write("src/app.txt", "3");
        var code = repository.Commit("code");
        await watcher.PollAsync(Ct).DefaultTimeout();

        var runs = await server.ListRunsAsync("web");
        Assert.Equal(code, Assert.Single(runs).Sha);
        Assert.DoesNotContain(runs, r => r.Sha == docs);
    }

    [Fact]
    public async Task Commit_OnAnotherBranch_StartsNoRun()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var watcher = server.Service<RepositoryWatcher>();

        repository.Git("checkout", "--quiet", "-b", "feature");
        repository.Write("src/app.txt", "feature");
        repository.Commit("feature work");
        await watcher.PollAsync(Ct).DefaultTimeout();
        repository.Git("checkout", "--quiet", "main");
        repository.Write("src/app.txt", "main");
        var main = repository.Commit("main work");
        await watcher.PollAsync(Ct).DefaultTimeout();

        Assert.Equal(main, Assert.Single(await server.ListRunsAsync("web")).Sha);
    }
}
