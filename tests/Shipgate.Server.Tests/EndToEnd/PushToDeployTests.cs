using System.Globalization;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.EndToEnd;

/// <summary>
/// Continuous delivery with the real binaries only: <c>shipgate up</c>, a watched repository, a commit, the
/// run waiting for production's approval, and the decision made with <c>shipgate approve|reject</c> as alice.
/// </summary>
public sealed class PushToDeployTests
{
    private const string Config = """
        environments:
          production:
            approval:
              reviewers: [alice]
              required: 1
        """;

    [Fact]
    public async Task Push_ApprovedByAlice_DeployJobRunsAndTheRunSucceeds()
    {
        await using var push = await PushAndWaitForApprovalAsync();
        var (up, marker, alice, sha, run, approval) = (push.Up, push.Marker, push.Alice, push.Sha, push.Run, push.Approval);

        var approved = await up.RunAsync(["approve", Id(approval.Id), "--comment", "ship it"], alice);
        var done = await CompletedAsync(up, run.Id);
        var decided = Assert.Single(await up.JsonAsync(["approvals", "list"], ApiJsonContext.Default.ApprovalResponseArray), a => a.Id == approval.Id);

        Assert.Equal("push", run.Event);
        Assert.Equal("production", approval.Environment);
        Assert.Equal(["alice"], approval.Reviewers);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("approved", decided.Status);
        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal("success", Assert.Single(done.Jobs, j => j.Key == "deploy").Conclusion);
        Assert.Equal(sha, File.ReadAllText(marker).Trim());
    }

    [Fact]
    public async Task Push_RejectedByAlice_DeployStepNeverRunsAndTheRunDoesNotSucceed()
    {
        await using var push = await PushAndWaitForApprovalAsync();
        var (up, marker, alice, sha, run, approval) = (push.Up, push.Marker, push.Alice, push.Sha, push.Run, push.Approval);

        var rejected = await up.RunAsync(["reject", Id(approval.Id), "--comment", "not during the sale"], alice);
        var done = await CompletedAsync(up, run.Id);
        var again = await up.RunAsync(["approve", Id(approval.Id)], alice);

        Assert.True(rejected.ExitCode == 0, rejected.ToString());
        Assert.NotEqual("success", done.Run.Conclusion);
        Assert.Equal("success", Assert.Single(done.Jobs, j => j.Key == "build").Conclusion);
        Assert.DoesNotContain(done.Jobs.Where(j => j.Key == "deploy").SelectMany(j => j.Steps), s => s.Conclusion == "success");
        Assert.False(File.Exists(marker), "The deploy step ran although production was rejected.");
        Assert.Equal(4, again.ExitCode);
    }

    /// <summary>
    /// <c>shipgate up</c>; alice added with <c>shipgate user add</c>; the repository added with <c>shipgate
    /// project add</c>; a commit; its run found with <c>shipgate runs list</c>, and its pending approval with
    /// <c>shipgate approvals list</c>.
    /// </summary>
    private static async Task<WaitingPush> PushAndWaitForApprovalAsync()
    {
        var up = await ShipgateUp.StartAsync();
        // Outside the data directory, which steps cannot see.
        var marker = Path.Combine(StepMarks.Create("shipgate-deployed-").FullName, "deployed", "sha");
        var repository = Repository(marker);
        try
        {
            var alice = await AddAliceAndProjectAsync(up, repository);
            var sha = Push(repository);
            var run = await RunOfAsync(up, sha);
            var approval = await PendingApprovalAsync(up, run.Id);
            return new WaitingPush(up, repository, marker, alice, sha, run, approval);
        }
        catch
        {
            repository.Dispose();
            await up.DisposeAsync();
            throw;
        }
    }

    /// <summary>A build job, then a deploy job for production that writes the commit's sha into <paramref name="marker"/>.</summary>
    private static TestRepository Repository(string marker)
    {
        var repository = new TestRepository();
        repository.Write(".github/workflows/delivery.yml", $$"""
            name: delivery
            on:
              push:
                branches: [main]
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo building "$GITHUB_SHA"
              deploy:
                needs: build
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: mkdir -p "$(dirname '{{marker}}')" && echo "$GITHUB_SHA" > '{{marker}}'
            """);
        repository.Write("shipgate.yml", Config);
        repository.Write("src/app.txt", "1");
        repository.Commit("initial");
        return repository;
    }

    private static async Task<string> AddAliceAndProjectAsync(ShipgateUp up, TestRepository repository)
    {
        var user = await up.RunAsync(["user", "add", "alice", "--email", "alice@example.com", "--role", "approver", "--env", "production"]);
        Assert.True(user.ExitCode == 0, user.ToString());
        var project = await up.RunAsync(["project", "add", "web", "--repo", repository.Root, "--branch", "main"]);
        Assert.True(project.ExitCode == 0, project.ToString());
        return user.LastLine;
    }

    private static string Push(TestRepository repository)
    {
        repository.Write("src/app.txt", "2");
        return repository.Commit("change the app");
    }

    private static Task<RunResponse> RunOfAsync(ShipgateUp up, string sha) =>
        EventuallyAsync(
            async () => (await up.JsonAsync(["runs", "list", "--project", "web"], ApiJsonContext.Default.RunResponseArray)).FirstOrDefault(r => r.Sha == sha),
            $"the push of {sha} to start a run",
            TimeSpan.FromSeconds(60));

    private static Task<ApprovalResponse> PendingApprovalAsync(ShipgateUp up, long run) => up.PendingApprovalAsync(run);

    private static Task<RunDetailResponse> CompletedAsync(ShipgateUp up, long run) => up.CompletedRunAsync(run);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed record WaitingPush(ShipgateUp Up, TestRepository Repository, string Marker, string Alice, string Sha, RunResponse Run, ApprovalResponse Approval) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Repository.Dispose();
            await Up.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(Marker))!, recursive: true);
        }
    }
}
