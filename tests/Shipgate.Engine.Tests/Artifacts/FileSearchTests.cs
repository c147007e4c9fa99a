using Shipgate.Engine.Artifacts;
using Shipgate.Engine.Tests.Actions;

namespace Shipgate.Engine.Tests.Artifacts;

public sealed class FileSearchTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public FileSearchTests()
    {
        _root.Write("dist/app.js", "a");
        _root.Write("dist/app.js.map", "m");
        _root.Write("dist/lib/util.js", "u");
        _root.Write("dist/lib/util.js.map", "m");
        _root.Write("dist/.env", "secret");
        _root.Write("dist/.cache/x", "x");
        _root.Write("docs/readme.md", "r");
        _root.Write("report.txt", "t");
    }

    public void Dispose() => _root.Dispose();

    private FileSearchResult Find(FileSearchOptions? options, params string[] lines) => FileSearch.Find(
        lines.Select(l => PathPattern.Parse(l, p => Path.GetFullPath(Path.Combine(_root.Path, p)))).OfType<PathPattern>().ToArray(),
        options ?? new FileSearchOptions());

    private string[] Relative(FileSearchResult result) => result.Paths.Select(result.RelativePath).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Find_Directory_FindsEveryFileUnderItRelativeToIt()
    {
        var result = Find(null, "dist");

        Assert.Equal(["app.js", "app.js.map", "lib/util.js", "lib/util.js.map"], Relative(result));
        Assert.Equal(Path.Combine(_root.Path, "dist"), result.RootDirectory);
    }

    [Fact]
    public void Find_Exclusion_RemovesWhatItMatches()
    {
        var result = Find(null, "dist/", "!**/*.map");

        Assert.Equal(["app.js", "lib/util.js"], Relative(result));
    }

    [Fact]
    public void Find_LaterIncludeAfterExclusion_AddsBack()
    {
        var result = Find(null, "dist", "!dist/lib", "dist/lib/util.js");

        Assert.Equal(["app.js", "app.js.map", "lib/util.js"], Relative(result));
    }

    [Fact]
    public void Find_Globs_RootIsTheSearchPathNotTheFilesDirectory()
    {
        var result = Find(null, "dist/**/util.js");

        Assert.Equal(["lib/util.js"], Relative(result));
        Assert.Equal(Path.Combine(_root.Path, "dist"), result.RootDirectory);
    }

    [Fact]
    public void Find_StarDoesNotCrossDirectories()
    {
        var result = Find(null, "dist/*.js");

        Assert.Equal(["app.js"], Relative(result));
    }

    [Fact]
    public void Find_SingleFile_RootIsItsDirectory()
    {
        var result = Find(null, "dist/lib/util.js");

        Assert.Equal(["util.js"], Relative(result));
    }

    [Fact]
    public void Find_SeveralSearchPaths_RootIsTheirLeastCommonAncestor()
    {
        var result = Find(null, "dist/lib", "docs/readme.md");

        Assert.Equal(_root.Path, result.RootDirectory);
        Assert.Equal(["dist/lib/util.js", "dist/lib/util.js.map", "docs/readme.md"], Relative(result));
    }

    [Fact]
    public void Find_HiddenFiles_ExcludedUnlessAsked()
    {
        Assert.DoesNotContain(".env", Relative(Find(null, "dist")));

        var withHidden = Relative(Find(new FileSearchOptions { IncludeHiddenFiles = true }, "dist"));

        Assert.Contains(".env", withHidden);
        Assert.Contains(".cache/x", withHidden);
    }

    [Fact]
    public void Find_HiddenFileNamedExplicitly_IsIncluded()
    {
        Assert.Equal([".env"], Relative(Find(null, "dist/.env")));
    }

    [Fact]
    public void Find_QuestionMarkAndClass_MatchOneCharacter()
    {
        Assert.Equal(["docs/readme.md", "report.txt"], Relative(Find(null, "d?cs/*.md", "[rx]eport.*")));
    }

    [Fact]
    public void Find_NothingMatches_FindsNothing()
    {
        Assert.Empty(Find(null, "missing/**/*.js").Paths);
    }

    [Fact]
    public void Find_SymbolicLinkNotFollowed_FoundAsLink()
    {
        File.CreateSymbolicLink(Path.Combine(_root.Path, "dist", "link"), "lib");

        var result = Find(new FileSearchOptions { FollowSymbolicLinks = false }, "dist");

        Assert.Contains(result.Paths, p => p.Kind == FoundPathKind.SymbolicLink && p.FullPath.EndsWith("/link", StringComparison.Ordinal));
        Assert.DoesNotContain("link/util.js", Relative(result));
    }

    [Fact]
    public void Find_SymbolicLinkFollowed_FindsTheFilesBehindIt()
    {
        File.CreateSymbolicLink(Path.Combine(_root.Path, "dist", "link"), "lib");

        Assert.Contains("link/util.js", Relative(Find(null, "dist")));
    }

    [Fact]
    public void Find_LinkToAnAncestor_DoesNotLoop()
    {
        File.CreateSymbolicLink(Path.Combine(_root.Path, "dist", "lib", "up"), "..");

        Assert.Contains("lib/util.js", Relative(Find(null, "dist")));
    }

    [Theory]
    [InlineData(new[] { "/a/b/c", "/a/b/d" }, "/a/b")]
    [InlineData(new[] { "/a/b", "/a/b/c" }, "/a/b")]
    [InlineData(new[] { "/a", "/b" }, "/")]
    [InlineData(new[] { "/ab/c", "/a/c" }, "/")]
    public void LeastCommonAncestor_ComparesWholeSegments(string[] paths, string expected) =>
        Assert.Equal(expected, FileSearch.LeastCommonAncestor(paths));
}
