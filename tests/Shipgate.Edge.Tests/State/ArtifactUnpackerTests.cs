using System.Formats.Tar;
using System.Text;
using Shipgate.Edge.State;
using Shipgate.Edge.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.State;

public sealed class ArtifactUnpackerTests : IDisposable
{
    private readonly string _releases = Directory.CreateTempSubdirectory("edge-releases-").FullName;

    [Fact]
    public async Task Unpack_ArtifactOfTheDigest_IsInPlaceReadableAndWhole()
    {
        using var release = new TestRelease(new Dictionary<string, string> { ["static/index.html"] = "<p>hi</p>" });
        var unpacker = new ArtifactUnpacker(_releases);

        Assert.Null(await unpacker.UnpackAsync(release.Digest, release.Tar(), TestTimeouts.Ct).DefaultTimeout());

        var directory = unpacker.DirectoryOf(release.Digest)!;
        Assert.True(unpacker.Has(release.Digest));
        Assert.Equal("<p>hi</p>", await File.ReadAllTextAsync(Path.Combine(directory, "static", "index.html"), TestTimeouts.Ct));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(directory, "static")));
        Assert.Equal(release.Digest, TestRelease.DigestOf(directory));
        Assert.Equal([Path.GetFileName(directory)], Directory.GetDirectories(_releases).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Unpack_FilesOfAnotherDigest_IsRefusedAndLeavesNothing()
    {
        using var release = new TestRelease();
        var unpacker = new ArtifactUnpacker(_releases);
        var other = "sha256:" + new string('0', 64);

        var refusal = await unpacker.UnpackAsync(other, release.Tar(), TestTimeouts.Ct).DefaultTimeout();

        Assert.Contains("not the one named", refusal);
        Assert.Empty(Directory.GetFileSystemEntries(_releases));
    }

    public static TheoryData<string, TarEntryType, string?> Attacks() => new()
    {
        { "/etc/cron.d/evil", TarEntryType.RegularFile, null },
        { "../evil", TarEntryType.RegularFile, null },
        { "app/../../evil", TarEntryType.RegularFile, null },
        { "link", TarEntryType.SymbolicLink, "/etc/shadow" },
        { "hard", TarEntryType.HardLink, "/etc/shadow" },
        { "null", TarEntryType.CharacterDevice, null },
        { "fifo", TarEntryType.Fifo, null },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Unpack_EntryThatLeavesOrLinksOut_IsRefusedAndLeavesNothing(string name, TarEntryType type, string? linkName)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "app.py") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("print(1)")) });
            var entry = new PaxTarEntry(type, name);
            if (linkName is not null)
            {
                entry.LinkName = linkName;
            }

            if (type == TarEntryType.RegularFile)
            {
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes("evil"));
            }

            writer.WriteEntry(entry);
        }

        tar.Position = 0;
        var unpacker = new ArtifactUnpacker(_releases);

        var refusal = await unpacker.UnpackAsync("sha256:" + new string('1', 64), tar, TestTimeouts.Ct).DefaultTimeout();

        Assert.NotNull(refusal);
        Assert.Contains(name, refusal);
        Assert.DoesNotContain('\n', refusal);
        Assert.Empty(Directory.GetFileSystemEntries(_releases));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_releases)!, "evil")));
    }

    [Fact]
    public async Task Unpack_NotATar_IsRefusedWithOneSentence()
    {
        var unpacker = new ArtifactUnpacker(_releases);

        var refusal = await unpacker.UnpackAsync("sha256:" + new string('2', 64), new MemoryStream(new byte[1024].Select(_ => (byte)'x').ToArray()), TestTimeouts.Ct)
            .DefaultTimeout();

        Assert.Contains("not a valid tar", refusal);
        Assert.Empty(Directory.GetFileSystemEntries(_releases));
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:" + "0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:../../../../etc/passwd0000000000000000000000000000000000000")]
    public async Task Unpack_NotADigest_IsRefused(string digest)
    {
        var unpacker = new ArtifactUnpacker(_releases);

        Assert.Contains("not an artifact digest", await unpacker.UnpackAsync(digest, new MemoryStream(), TestTimeouts.Ct).DefaultTimeout());
        Assert.Empty(Directory.GetFileSystemEntries(_releases));
    }

    public void Dispose() => Directory.Delete(_releases, recursive: true);
}
