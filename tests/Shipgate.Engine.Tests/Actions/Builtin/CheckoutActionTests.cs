using Shipgate.Engine.Actions.Builtin;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Actions.Builtin;

public sealed class CheckoutActionTests : IDisposable
{
    private readonly FakeActionContext _context = new();
    private readonly GitRepository _repository;
    private readonly string _first;
    private readonly string _second;

    public CheckoutActionTests()
    {
        _repository = new GitRepository(_context.RepositoryDirectory);
        _first = _repository.Commit("first", ("one.txt", "1"));
        _repository.Git("tag", "v1");
        _second = _repository.Commit("second", ("two.txt", "2"));
        _repository.Commit("third", ("three.txt", "3"));
        _context.Sha = _second;
        _context.Ref = "refs/heads/main";
    }

    public void Dispose() => _context.Dispose();

    private Task<Engine.Actions.ActionResult> RunAsync(FakeActionContext? context = null) =>
        new CheckoutAction().RunAsync(context ?? _context).DefaultTimeout();

    [Fact]
    public async Task Run_DefaultInputs_ChecksOutTheRunsCommitShallowOnItsBranch()
    {
        var result = await RunAsync();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(_second, GitRepository.Run(_context.Workspace, "rev-parse", "HEAD"));
        Assert.Equal("1", GitRepository.Run(_context.Workspace, "rev-list", "--count", "HEAD"));
        Assert.Equal("main", GitRepository.Run(_context.Workspace, "branch", "--show-current"));
        Assert.True(File.Exists(Path.Combine(_context.Workspace, "two.txt")));
        Assert.False(File.Exists(Path.Combine(_context.Workspace, "three.txt")));
        Assert.Equal(_second, _context.Outputs["commit"]);
        Assert.Equal("refs/heads/main", _context.Outputs["ref"]);
    }

    [Fact]
    public async Task Run_FetchDepthZero_FetchesAllHistoryAndTags()
    {
        _context.With("fetch-depth", "0");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(_second, GitRepository.Run(_context.Workspace, "rev-parse", "HEAD"));
        Assert.Equal("2", GitRepository.Run(_context.Workspace, "rev-list", "--count", "HEAD"));
        Assert.Equal(_first, GitRepository.Run(_context.Workspace, "rev-parse", "v1^{commit}"));
        Assert.False(File.Exists(Path.Combine(_context.Workspace, ".git", "shallow")));
    }

    [Fact]
    public async Task Run_FetchDepthTwo_FetchesTwoCommits()
    {
        _context.With("fetch-depth", "2");

        await RunAsync();

        Assert.Equal("2", GitRepository.Run(_context.Workspace, "rev-list", "--count", "HEAD"));
    }

    [Fact]
    public async Task Run_RefIsATag_ChecksOutTheTaggedCommitDetached()
    {
        _context.With("ref", "v1");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(_first, GitRepository.Run(_context.Workspace, "rev-parse", "HEAD"));
        Assert.Equal("", GitRepository.Run(_context.Workspace, "branch", "--show-current"));
        Assert.Equal("refs/tags/v1", _context.Outputs["ref"]);
    }

    [Fact]
    public async Task Run_RefIsACommitId_ChecksOutThatCommit()
    {
        _context.With("ref", _first);

        await RunAsync();

        Assert.Equal(_first, GitRepository.Run(_context.Workspace, "rev-parse", "HEAD"));
        Assert.False(File.Exists(Path.Combine(_context.Workspace, "two.txt")));
    }

    [Fact]
    public async Task Run_RefIsABranch_ChecksOutItsTip()
    {
        _repository.Git("branch", "release", _first);
        _context.With("ref", "release");

        await RunAsync();

        Assert.Equal(_first, GitRepository.Run(_context.Workspace, "rev-parse", "HEAD"));
        Assert.Equal("release", GitRepository.Run(_context.Workspace, "branch", "--show-current"));
        Assert.Equal("refs/heads/release", _context.Outputs["ref"]);
    }

    [Fact]
    public async Task Run_UnknownRef_FailsNamingTheRef()
    {
        _context.With("ref", "no-such-branch");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("'no-such-branch' was not found", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Path_ChecksOutIntoTheSubdirectory()
    {
        _context.With("path", "src/app");

        await RunAsync();

        Assert.True(File.Exists(Path.Combine(_context.Workspace, "src", "app", "two.txt")));
    }

    [Fact]
    public async Task Run_PathOutsideTheWorkspace_Fails()
    {
        _context.With("path", "../elsewhere");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("is not under", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AgainWithClean_RemovesUntrackedFilesAndLocalChanges()
    {
        await RunAsync();
        File.WriteAllText(Path.Combine(_context.Workspace, "untracked.txt"), "x");
        File.WriteAllText(Path.Combine(_context.Workspace, "one.txt"), "changed");

        var result = await RunAsync(_context.NextStep());

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.False(File.Exists(Path.Combine(_context.Workspace, "untracked.txt")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(_context.Workspace, "one.txt")));
    }

    [Fact]
    public async Task Run_AgainWithoutClean_KeepsUntrackedFiles()
    {
        await RunAsync();
        File.WriteAllText(Path.Combine(_context.Workspace, "untracked.txt"), "x");

        var result = await RunAsync(_context.NextStep().With("clean", "false"));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.True(File.Exists(Path.Combine(_context.Workspace, "untracked.txt")));
    }

    [Fact]
    public async Task Run_WorkspaceHoldsOtherFiles_ReplacesThem()
    {
        File.WriteAllText(Path.Combine(_context.Workspace, "stale.txt"), "x");

        await RunAsync();

        Assert.False(File.Exists(Path.Combine(_context.Workspace, "stale.txt")));
        Assert.True(File.Exists(Path.Combine(_context.Workspace, "one.txt")));
    }

    [Fact]
    public async Task Run_SparseCheckout_ChecksOutOnlyThosePaths()
    {
        _repository.Commit("dirs", ("src/app.txt", "a"), ("docs/guide.md", "g"));
        _context.Sha = _repository.Git("rev-parse", "HEAD");
        _context.With("sparse-checkout", "src");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.True(File.Exists(Path.Combine(_context.Workspace, "src", "app.txt")));
        Assert.False(Directory.Exists(Path.Combine(_context.Workspace, "docs")));
    }

    [Fact]
    public async Task Run_NoShaGiven_ChecksOutHeadOfTheRepository()
    {
        _context.Sha = "";
        var head = _repository.Git("rev-parse", "HEAD");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(head, _context.Outputs["commit"]);
        Assert.Equal("refs/heads/main", _context.Outputs["ref"]);
    }

    [Fact]
    public async Task Run_OtherRepository_FailsSayingToVendorIt()
    {
        _context.Environment["GITHUB_REPOSITORY"] = "acme/web";
        _context.With("repository", "acme/other");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("acme/other", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NegativeFetchDepth_FailsNamingTheInput()
    {
        _context.With("fetch-depth", "-1");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("fetch-depth", result.Message, StringComparison.Ordinal);
    }
}
