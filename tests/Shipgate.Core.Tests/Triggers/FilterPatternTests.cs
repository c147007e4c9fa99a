using Shipgate.Core.Triggers;

namespace Shipgate.Core.Tests.Triggers;

/// <summary>
/// The examples of the "filter pattern cheat sheet" in GitHub's workflow syntax documentation
/// (docs.github.com, "Workflow syntax for GitHub Actions"), for branches, tags and paths.
/// </summary>
public sealed class FilterPatternTests
{
    private static bool Matches(string pattern, string value) => FilterPattern.Create(pattern).IsMatch(value);

    [Theory]
    [InlineData("feature/*", "feature/my-branch")]
    [InlineData("feature/*", "feature/your-branch")]
    [InlineData("feature/**", "feature/beta-a/my-branch")]
    [InlineData("feature/**", "feature/your-branch")]
    [InlineData("feature/**", "feature/mona/the/octocat")]
    [InlineData("main", "main")]
    [InlineData("releases/mona-the-octocat", "releases/mona-the-octocat")]
    [InlineData("*", "main")]
    [InlineData("*", "releases")]
    [InlineData("**", "all/the/branches")]
    [InlineData("**", "every/tag")]
    [InlineData("*feature", "mona-feature")]
    [InlineData("*feature", "feature")]
    [InlineData("*feature", "ver-10-feature")]
    [InlineData("v2*", "v2")]
    [InlineData("v2*", "v2.0")]
    [InlineData("v2*", "v2.9")]
    [InlineData("v[12].[0-9]+.[0-9]+", "v1.10.1")]
    [InlineData("v[12].[0-9]+.[0-9]+", "v2.0.0")]
    public void IsMatch_CheatSheetBranchesAndTags_Matches(string pattern, string name) => Assert.True(Matches(pattern, name));

    [Theory]
    [InlineData("feature/*", "feature/beta-a/my-branch")]
    [InlineData("*", "releases/mona")]
    [InlineData("*feature", "feature-x")]
    [InlineData("v2*", "v3.0")]
    [InlineData("v[12].[0-9]+.[0-9]+", "v3.0.0")]
    [InlineData("v[12].[0-9]+.[0-9]+", "v1.x.1")]
    [InlineData("main", "main2")]
    [InlineData("main", "xmain")]
    public void IsMatch_CheatSheetBranchesAndTags_DoesNotMatchOthers(string pattern, string name) => Assert.False(Matches(pattern, name));

    [Theory]
    [InlineData("*", "README.md")]
    [InlineData("*", "server.rb")]
    [InlineData("*.jsx?", "page.js")]
    [InlineData("*.jsx?", "page.jsx")]
    [InlineData("**", "all/the/files.md")]
    [InlineData("*.js", "app.js")]
    [InlineData("*.js", "index.js")]
    [InlineData("**.js", "index.js")]
    [InlineData("**.js", "js/index.js")]
    [InlineData("**.js", "src/js/app.js")]
    [InlineData("docs/*", "docs/README.md")]
    [InlineData("docs/*", "docs/file.txt")]
    [InlineData("docs/**", "docs/README.md")]
    [InlineData("docs/**", "docs/mona/octocat.txt")]
    [InlineData("docs/**/*.md", "docs/README.md")]
    [InlineData("docs/**/*.md", "docs/mona/hello-world.md")]
    [InlineData("docs/**/*.md", "docs/a/markdown/file.md")]
    [InlineData("**/docs/**", "docs/hello.md")]
    [InlineData("**/docs/**", "dir/docs/my-file.txt")]
    [InlineData("**/docs/**", "space/docs/plan/space.doc")]
    [InlineData("**/README.md", "README.md")]
    [InlineData("**/README.md", "js/README.md")]
    [InlineData("**/*src/**", "a/src/app.js")]
    [InlineData("**/*src/**", "my-src/code/js/app.js")]
    [InlineData("**/*-post.md", "my-post.md")]
    [InlineData("**/*-post.md", "path/their-post.md")]
    [InlineData("**/migrate-*.sql", "migrate-10909.sql")]
    [InlineData("**/migrate-*.sql", "db/migrate-v1.0.sql")]
    [InlineData("**/migrate-*.sql", "db/sept/migrate-v1.sql")]
    public void IsMatch_CheatSheetPaths_Matches(string pattern, string path) => Assert.True(Matches(pattern, path));

    [Theory]
    [InlineData("*", "docs/README.md")]
    [InlineData("*.jsx?", "page.jsxx")]
    [InlineData("*.js", "src/app.js")]
    [InlineData("docs/*", "docs/mona/octocat.txt")]
    [InlineData("docs/**/*.md", "docs/a/file.txt")]
    [InlineData("**/README.md", "js/READ.md")]
    [InlineData("**/*-post.md", "my-post.txt")]
    public void IsMatch_CheatSheetPaths_DoesNotMatchOthers(string pattern, string path) => Assert.False(Matches(pattern, path));

    [Fact]
    public void IsMatch_CharacterClass_MatchesOneListedCharacter()
    {
        Assert.True(Matches("[CB]at", "Cat"));
        Assert.True(Matches("[CB]at", "Bat"));
        Assert.False(Matches("[CB]at", "Hat"));
        Assert.True(Matches("[1-2]00", "200"));
        Assert.False(Matches("[1-2]00", "300"));
    }

    [Fact]
    public void IsMatch_EscapedSpecialCharacters_AreLiteral()
    {
        Assert.True(Matches("\\!file", "!file"));
        Assert.True(Matches("a\\*b", "a*b"));
        Assert.False(Matches("a\\*b", "axb"));
        Assert.True(Matches("escape\\\\backslash", "escape\\backslash"));
    }

    [Fact]
    public void IsMatch_DotIsLiteral() => Assert.False(Matches(".yml", "fyml"));

    [Fact]
    public void IsMatch_QuestionMarkAtStart_IsLiteral()
    {
        Assert.True(Matches("?x", "?x"));
        Assert.False(Matches("?x", "x"));
    }

    [Fact]
    public void TryCreate_LeadingBang_IsNegation()
    {
        var pattern = FilterPattern.Create("!README.md");

        Assert.True(pattern.IsNegation);
        Assert.True(pattern.IsMatch("README.md"));
        Assert.Equal("!README.md", pattern.Text);
    }

    [Theory]
    [InlineData("v[12", "'[' has no closing ']'", 1)]
    [InlineData("a[]b", "'[]' lists no character", 1)]
    [InlineData("[a-9]", "the range 'a-9' is invalid; ranges can only include a-z, A-Z and 0-9", 1)]
    [InlineData("[z-a]", "the range 'z-a' is invalid; ranges can only include a-z, A-Z and 0-9", 1)]
    [InlineData("end\\", "'\\' at the end of a filter pattern escapes nothing", 3)]
    [InlineData("!", "a filter pattern cannot be empty", 0)]
    public void TryCreate_InvalidPattern_ReportsErrorAndOffset(string text, string message, int index)
    {
        Assert.False(FilterPattern.TryCreate(text, out var pattern, out var error, out var errorIndex));
        Assert.Null(pattern);
        Assert.Equal(message, error);
        Assert.Equal(index, errorIndex);
    }

    [Fact]
    public void IsMatch_ManyDoubleStars_StaysFast()
    {
        // NonBacktracking keeps hostile patterns linear; this would take very long with backtracking.
        var pattern = FilterPattern.Create(string.Concat(Enumerable.Repeat("**a", 20)) + "b");

        Assert.False(pattern.IsMatch(new string('a', 5000)));
    }
}
