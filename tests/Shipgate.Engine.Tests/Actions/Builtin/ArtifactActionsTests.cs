using Microsoft.Extensions.Time.Testing;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Actions.Builtin;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Actions.Builtin;

public sealed class ArtifactActionsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeActionContext _context = new();

    public ArtifactActionsTests()
    {
        Write("dist/app.js", "app");
        Write("dist/app.js.map", "map");
        Write("dist/css/site.css", "css");
        Write("dist/.env", "secret");
        Write("README.md", "readme");
    }

    public void Dispose() => _context.Dispose();

    private void Write(string path, string content) => TempDirectory.WriteFile(Path.Combine(_context.Workspace, path), content);

    private Task<ActionResult> UploadAsync(FakeActionContext context) =>
        new UploadArtifactAction(_time).RunAsync(context, TestContext.Current.CancellationToken).DefaultTimeout();

    private Task<ActionResult> DownloadAsync(FakeActionContext context) =>
        new DownloadArtifactAction(_time).RunAsync(context, TestContext.Current.CancellationToken).DefaultTimeout();

    private static string[] FilesUnder(string directory) => Directory
        .EnumerateFiles(directory, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(directory, f))
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public async Task UploadThenDownload_GlobsAndExclusions_RoundTripsTheSelectedFiles()
    {
        var upload = await UploadAsync(_context.With("name", "web").With("path", "dist/\n!dist/**/*.map\n"));
        Assert.Equal(Conclusion.Success, upload.Conclusion);
        Assert.StartsWith("sha256:", _context.Outputs["artifact-digest"], StringComparison.Ordinal);
        Assert.Equal("1", _context.Outputs["artifact-id"]);

        var download = _context.NextStep().With("name", "web").With("path", "out");
        var result = await DownloadAsync(download);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var output = Path.Combine(_context.Workspace, "out");
        Assert.Equal(["app.js", "css/site.css"], FilesUnder(output));
        Assert.Equal("css", File.ReadAllText(Path.Combine(output, "css", "site.css")));
        Assert.Equal(output, download.Outputs["download-path"]);
    }

    [Fact]
    public async Task Upload_TellsTheRunAboutTheArtifact()
    {
        var recorder = new RunArtifactRecorder();
        _context.AddService<IRunArtifactRecorder>(recorder);

        await UploadAsync(_context.With("name", "web").With("path", "dist"));

        var artifact = Assert.Single(recorder.Artifacts);
        Assert.Equal(new RunArtifact("web", _context.Outputs["artifact-digest"], 9, "build"), artifact);
    }

    [Fact]
    public async Task Upload_SameContentInAnotherRun_SameDigest()
    {
        await UploadAsync(_context.With("path", "dist"));
        var other = _context.NextStep().With("path", "dist");
        other.RunId = "2";

        await UploadAsync(other);

        Assert.Equal(_context.Outputs["artifact-digest"], other.Outputs["artifact-digest"]);
    }

    [Fact]
    public async Task Upload_ChangedContent_DifferentDigest()
    {
        await UploadAsync(_context.With("path", "dist"));
        Write("dist/app.js", "app v2");
        var other = _context.NextStep().With("name", "second").With("path", "dist");

        await UploadAsync(other);

        Assert.NotEqual(_context.Outputs["artifact-digest"], other.Outputs["artifact-digest"]);
    }

    [Fact]
    public async Task Upload_SameNameTwice_FailsBecauseArtifactsAreImmutable()
    {
        await UploadAsync(_context.With("path", "dist"));

        var second = await UploadAsync(_context.NextStep().With("path", "README.md"));

        Assert.Equal(Conclusion.Failure, second.Conclusion);
        Assert.Contains("already exists", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_SameNameWithOverwrite_NewIdAndDigest()
    {
        await UploadAsync(_context.With("path", "dist"));
        var second = _context.NextStep().With("path", "README.md").With("overwrite", "true");

        var result = await UploadAsync(second);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.NotEqual(_context.Outputs["artifact-id"], second.Outputs["artifact-id"]);
        Assert.NotEqual(_context.Outputs["artifact-digest"], second.Outputs["artifact-digest"]);
    }

    [Fact]
    public async Task Upload_HiddenFiles_OnlyWhenIncluded()
    {
        await UploadAsync(_context.With("name", "plain").With("path", "dist"));
        await UploadAsync(_context.NextStep().With("name", "hidden").With("path", "dist").With("include-hidden-files", "true"));

        var download = _context.NextStep().With("path", "all");
        await DownloadAsync(download);

        var all = Path.Combine(_context.Workspace, "all");
        Assert.DoesNotContain(".env", FilesUnder(Path.Combine(all, "plain")));
        Assert.Contains(".env", FilesUnder(Path.Combine(all, "hidden")));
    }

    [Theory]
    [InlineData("warn", Conclusion.Success, 1)]
    [InlineData("ignore", Conclusion.Success, 0)]
    [InlineData("error", Conclusion.Failure, 0)]
    public async Task Upload_NoFilesFound_FollowsIfNoFilesFound(string mode, Conclusion expected, int warnings)
    {
        var result = await UploadAsync(_context.With("path", "missing/**").With("if-no-files-found", mode));

        Assert.Equal(expected, result.Conclusion);
        Assert.Equal(warnings, _context.Warnings.Count);
        Assert.False(_context.Outputs.ContainsKey("artifact-id"));
    }

    [Fact]
    public async Task Download_MissingArtifact_FailsNamingItAndTheOnesThatExist()
    {
        await UploadAsync(_context.With("name", "web").With("path", "dist"));
        await UploadAsync(_context.NextStep().With("name", "docs").With("path", "README.md"));

        var result = await DownloadAsync(_context.NextStep().With("name", "api"));

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal("Artifact 'api' was not found in run 1; the run has: docs, web.", result.Message);
    }

    [Fact]
    public async Task Download_MissingArtifactInARunWithoutArtifacts_SaysSo()
    {
        var result = await DownloadAsync(_context.With("name", "api"));

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("'api' was not found", result.Message, StringComparison.Ordinal);
        Assert.Contains("no artifacts", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_PatternWithoutMerge_EachIntoItsOwnDirectory()
    {
        await UploadAsync(_context.With("name", "web-linux").With("path", "dist/app.js"));
        await UploadAsync(_context.NextStep().With("name", "web-mac").With("path", "dist/css"));
        await UploadAsync(_context.NextStep().With("name", "docs").With("path", "README.md"));

        await DownloadAsync(_context.NextStep().With("pattern", "web-*").With("path", "out"));

        Assert.Equal(["web-linux/app.js", "web-mac/site.css"], FilesUnder(Path.Combine(_context.Workspace, "out")));
    }

    [Fact]
    public async Task Download_MergeMultiple_AllIntoOneDirectory()
    {
        await UploadAsync(_context.With("name", "web-linux").With("path", "dist/app.js"));
        await UploadAsync(_context.NextStep().With("name", "web-mac").With("path", "dist/css"));

        await DownloadAsync(_context.NextStep().With("pattern", "web-*").With("merge-multiple", "true").With("path", "out"));

        Assert.Equal(["app.js", "site.css"], FilesUnder(Path.Combine(_context.Workspace, "out")));
    }

    [Fact]
    public async Task Download_OtherRunsArtifacts_AreNotVisible()
    {
        await UploadAsync(_context.With("name", "web").With("path", "dist"));
        var other = _context.NextStep().With("name", "web");
        other.RunId = "2";

        var result = await DownloadAsync(other);

        Assert.Equal(Conclusion.Failure, result.Conclusion);
    }

    [Fact]
    public async Task Upload_LinksOutOfTheWorkspace_AreRefusedByNameAndTheRestIsUploaded()
    {
        var key = _context.Root.Write("data/secret.key", "the server's key");
        File.CreateSymbolicLink(Path.Combine(_context.Workspace, "dist/absolute.key"), key);
        File.CreateSymbolicLink(Path.Combine(_context.Workspace, "dist/relative.key"), "../../data/secret.key");
        File.CreateSymbolicLink(Path.Combine(_context.Workspace, "dist/passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(_context.Workspace, "dist/data"), _context.DataDirectory);
        File.CreateSymbolicLink(Path.Combine(_context.Workspace, "dist/app-link.js"), "app.js");

        var upload = await UploadAsync(_context.With("name", "web").With("path", "dist"));

        Assert.Equal(Conclusion.Success, upload.Conclusion);
        foreach (var link in new[] { "absolute.key", "relative.key", "passwd", "data" })
        {
            Assert.Contains($"dist/{link} is not uploaded: a symbolic link on its path leads out of the workspace.", _context.Warnings);
        }

        var download = _context.NextStep().With("name", "web").With("path", "out");
        await DownloadAsync(download);
        Assert.Equal(["app-link.js", "app.js", "app.js.map", "css/site.css"], FilesUnder(Path.Combine(_context.Workspace, "out")));
    }

    [Fact]
    public async Task Upload_PathInTheDataFolder_IsRefusedAndNothingIsUploaded()
    {
        var key = _context.Root.Write("data/secret.key", "the server's key");

        var upload = await UploadAsync(_context.With("name", "key").With("path", key).With("if-no-files-found", "error"));

        Assert.Equal(Conclusion.Failure, upload.Conclusion);
        Assert.Contains(_context.Warnings, w => w.EndsWith("secret.key is not uploaded: it is in Shipgate's data folder.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_IntoALinkToTheDataFolder_WritesNothingAndFailsNamingIt()
    {
        await UploadAsync(_context.With("name", "web").With("path", "dist"));
        Directory.CreateSymbolicLink(Path.Combine(_context.Workspace, "out"), _context.DataDirectory);

        var download = _context.NextStep().With("name", "web").With("path", "out");
        var result = await DownloadAsync(download);

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal(
            $"Artifact web was not downloaded: {Path.Combine(_context.Workspace, "out", "app.js")} is not written: a symbolic link on its path leads out of the workspace.",
            result.Message);
        Assert.False(File.Exists(Path.Combine(_context.DataDirectory, "app.js")));
    }
}
