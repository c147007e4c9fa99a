using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Runs;

/// <summary><c>shipgate dispatch --ref</c> against the real <c>shipgate up</c>: a branch, a tag or a full SHA, never revision syntax.</summary>
public sealed class DispatchRefTests
{
    [Fact]
    public async Task Dispatch_RevisionSyntax_IsRefusedWithOneSentenceAndQueuesNothing()
    {
        using var repository = TestRepository.WithCiWorkflow();
        repository.Write("src/app.txt", "2");
        repository.Commit("second");
        await using var up = await ShipgateUp.StartAsync();
        await AddProjectAsync(up, repository);

        foreach (var revision in new[] { "main~1", "HEAD^", "@{-1}", "main..main", ":/second", "main^{commit}" })
        {
            var result = await up.RunAsync(["dispatch", "web", "ci.yml", "--ref", revision]);

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains($"'{revision}' is not a branch, a tag or a full commit SHA", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Empty(await RunsAsync(up));
    }

    [Fact]
    public async Task Dispatch_BranchTagOrFullShaOfTheBranch_RunsThatCommit()
    {
        using var repository = TestRepository.WithCiWorkflow();
        var first = repository.Git("rev-parse", "HEAD").Trim();
        repository.Git("tag", "v1");
        repository.Write("src/app.txt", "2");
        var second = repository.Commit("second");
        await using var up = await ShipgateUp.StartAsync();
        await AddProjectAsync(up, repository);

        foreach (var (gitRef, sha) in new[] { ("main", second), ("v1", first), (first, first) })
        {
            var result = await up.RunAsync(["dispatch", "web", "ci.yml", "--ref", gitRef]);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        Assert.Equal(
            [("refs/heads/main", second), ("refs/tags/v1", first), ("refs/heads/main", first)],
            (await RunsAsync(up)).OrderBy(r => r.Id).Select(r => (r.Ref, r.Sha)));
    }

    [Fact]
    public async Task Dispatch_FullShaNotOnTheProjectsBranch_IsRefused()
    {
        using var repository = TestRepository.WithCiWorkflow();
        repository.Git("checkout", "--quiet", "-b", "feature");
        repository.Write("src/app.txt", "feature");
        var feature = repository.Commit("feature");
        repository.Git("checkout", "--quiet", "main");
        await using var up = await ShipgateUp.StartAsync();
        await AddProjectAsync(up, repository);

        var result = await up.RunAsync(["dispatch", "web", "ci.yml", "--ref", feature]);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"The commit {feature} is not on the branch 'main' of 'web'", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await RunsAsync(up));
    }

    private static async Task AddProjectAsync(ShipgateUp up, TestRepository repository)
    {
        var added = await up.RunAsync(["project", "add", "web", "--repo", repository.Root]);
        Assert.True(added.ExitCode == 0, added.ToString());
    }

    private static async Task<RunResponse[]> RunsAsync(ShipgateUp up)
    {
        var list = await up.RunAsync(["runs", "list", "--project", "web", "--json"]);
        return JsonSerializer.Deserialize(list.Stdout, ApiJsonContext.Default.RunResponseArray)!;
    }
}
