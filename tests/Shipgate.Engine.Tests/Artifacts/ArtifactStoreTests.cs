using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Engine.Artifacts;
using Shipgate.Engine.Tests.Actions;

namespace Shipgate.Engine.Tests.Artifacts;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly ArtifactStore _store;

    public ArtifactStoreTests() => _store = ArtifactStore.ForDataDirectory(_root.Create("data"), _time);

    public void Dispose() => _root.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Task<ArtifactUploadResult> UploadAsync(string runId, string name, ArtifactSourceFile[] files, bool overwrite = false, int? retentionDays = null) =>
        _store.UploadAsync(runId, name, files, overwrite, retentionDays, Token).DefaultTimeout();

    private ArtifactSourceFile[] Files(string directory, params (string Path, string Content)[] files) => files
        .Select(f => new ArtifactSourceFile(_root.Write(Path.Combine(directory, f.Path), f.Content), f.Path))
        .ToArray();

    [Fact]
    public async Task Upload_SameContentTwice_SameDigestAndOneCopyOfEachFile()
    {
        var first = await UploadAsync("1", "build", Files("a", ("x.txt", "hello"), ("y/z.txt", "world")));
        var second = await UploadAsync("2", "other-name", Files("b", ("y/z.txt", "world"), ("x.txt", "hello")));

        Assert.NotNull(first.Artifact);
        Assert.NotNull(second.Artifact);
        Assert.StartsWith("sha256:", first.Artifact.Digest, StringComparison.Ordinal);
        Assert.Equal(first.Artifact.Digest, second.Artifact.Digest);
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(_store.Directory, "blobs"), "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public async Task Upload_DifferentContent_DifferentDigest()
    {
        var first = await UploadAsync("1", "a", Files("a", ("x.txt", "hello")));
        var second = await UploadAsync("1", "b", Files("b", ("x.txt", "hello!")));

        Assert.NotEqual(first.Artifact!.Digest, second.Artifact!.Digest);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Upload_ExecutableBit_IsPartOfTheDigestAndRestored()
    {
        var files = Files("a", ("run.sh", "#!/bin/sh\n"));
        var plain = await UploadAsync("1", "plain", files);
        File.SetUnixFileMode(files[0].FullPath, (UnixFileMode)0b111_101_101);
        var executable = await UploadAsync("1", "executable", files);

        Assert.NotEqual(plain.Artifact!.Digest, executable.Artifact!.Digest);
        var output = _root.Create("out");
        await _store.ExtractAsync(executable.Artifact.Digest, output, Token).DefaultTimeout();
        Assert.True((File.GetUnixFileMode(Path.Combine(output, "run.sh")) & UnixFileMode.UserExecute) != 0);
    }

    [Fact]
    public async Task Extract_DestinationWithTrailingSlash_WritesTheFiles()
    {
        // delivery.yml downloads into `samples/hello-service/dist/`: the trailing slash made every file look outside the root.
        var uploaded = await UploadAsync("1", "build", Files("a", ("VERSION", "1.0.0")));
        var output = _root.Create("dist") + "/";

        await _store.ExtractAsync(uploaded.Artifact!.Digest, output, Token).DefaultTimeout();

        Assert.Equal("1.0.0", File.ReadAllText(Path.Combine(output, "VERSION")));
    }

    [Fact]
    public async Task Upload_SameNameInSameRun_IsRefused()
    {
        await UploadAsync("1", "build", Files("a", ("x.txt", "1")));

        var again = await UploadAsync("1", "build", Files("b", ("x.txt", "2")));

        Assert.Null(again.Artifact);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal("1", await ReadBackAsync("1", "build", "x.txt"));
    }

    [Fact]
    public async Task Upload_SameNameWithOverwrite_ReplacesWithNewIdAndDigest()
    {
        var first = await UploadAsync("1", "build", Files("a", ("x.txt", "1")));

        var second = await UploadAsync("1", "build", Files("b", ("x.txt", "2")), overwrite: true);

        Assert.NotNull(second.Artifact);
        Assert.NotEqual(first.Artifact!.Id, second.Artifact.Id);
        Assert.NotEqual(first.Artifact.Digest, second.Artifact.Digest);
        Assert.Equal("2", await ReadBackAsync("1", "build", "x.txt"));
        Assert.NotNull(_store.OpenManifest(first.Artifact.Digest));
    }

    [Fact]
    public async Task Upload_SameNameInAnotherRun_IsAllowed()
    {
        await UploadAsync("1", "build", Files("a", ("x.txt", "1")));

        var other = await UploadAsync("2", "build", Files("a", ("x.txt", "1")));

        Assert.NotNull(other.Artifact);
    }

    [Fact]
    public async Task Upload_ConcurrentUploads_AllStoredWithDistinctIds()
    {
        var uploads = Enumerable.Range(0, 8)
            .Select(i => UploadAsync("1", $"a{i}", Files($"d{i}", ("x.txt", "same"), ($"{i}.txt", $"{i}"))))
            .ToArray();

        var results = await Task.WhenAll(uploads).DefaultTimeout();

        Assert.All(results, r => Assert.NotNull(r.Artifact));
        Assert.Equal(8, results.Select(r => r.Artifact!.Id).Distinct().Count());
        Assert.Equal(8, _store.ListRun("1").Count);
    }

    [Fact]
    public async Task Upload_RecordsRetention()
    {
        var result = await UploadAsync("1", "build", Files("a", ("x.txt", "1")), retentionDays: 5);

        var record = _store.Find("1", "build");
        Assert.Equal(result.Artifact, record);
        Assert.Equal(_time.GetUtcNow().AddDays(5), record!.ExpiresAt);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("")]
    [InlineData("..")]
    public async Task Upload_InvalidName_IsRefusedWithReason(string name)
    {
        var result = await UploadAsync("1", name, Files("a", ("x.txt", "1")));

        Assert.Null(result.Artifact);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task Extract_DamagedBlob_Throws()
    {
        var result = await UploadAsync("1", "build", Files("a", ("x.txt", "1")));
        var blob = Directory.EnumerateFiles(Path.Combine(_store.Directory, "blobs"), "*", SearchOption.AllDirectories).Single();
        File.WriteAllText(blob, "tampered");

        await Assert.ThrowsAsync<InvalidDataException>(() => _store.ExtractAsync(result.Artifact!.Digest, _root.Create("out"), Token)).DefaultTimeout();
    }

    [Fact]
    public void OpenManifest_UnknownDigest_ReturnsNull() =>
        Assert.Null(_store.OpenManifest("sha256:" + new string('0', 64)));

    [Fact]
    public async Task Manifest_ListsPathsSizesModesAndDigestsSorted()
    {
        var result = await UploadAsync("1", "build", Files("a", ("b.txt", "bb"), ("a.txt", "a")));

        var manifest = _store.OpenManifest(result.Artifact!.Digest)!;

        Assert.Equal(["a.txt", "b.txt"], manifest.Files.Select(f => f.Path));
        Assert.Equal([1L, 2L], manifest.Files.Select(f => f.Size));
        using var content = new StreamReader(_store.OpenFile(manifest.Files[1].Digest));
        Assert.Equal("bb", await content.ReadToEndAsync(Token).DefaultTimeout());
    }

    private async Task<string> ReadBackAsync(string runId, string name, string path)
    {
        var output = _root.Create("readback-" + Guid.NewGuid().ToString("N"));
        await _store.ExtractAsync(_store.Find(runId, name)!.Digest, output, Token).DefaultTimeout();
        return await File.ReadAllTextAsync(Path.Combine(output, path), Token).DefaultTimeout();
    }
}
