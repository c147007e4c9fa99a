using Shipgate.Edge.Comparison;

namespace Shipgate.Edge.Tests.Comparison;

public sealed class BodyPathPatternTests
{
    [Theory]
    [InlineData("/api/orders", "/api/orders", true)]
    [InlineData("/api/orders", "/api/orders/", false)]
    [InlineData("/api/orders", "/API/orders", false)]
    [InlineData("/api/orders/*", "/api/orders/7", true)]
    [InlineData("/api/orders/*", "/api/orders/", false)]
    [InlineData("/api/orders/*", "/api/orders/7/lines", false)]
    [InlineData("/api/*/lines", "/api/7/lines", true)]
    [InlineData("/api/**", "/api", true)]
    [InlineData("/api/**", "/api/orders/7/lines", true)]
    [InlineData("/api/**", "/apix", false)]
    [InlineData("/**", "/", true)]
    public void Matches_Path_AsDocumented(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new BodyPathPattern(pattern).Matches(path));

    [Theory]
    [InlineData("/api/**", null)]
    [InlineData("api", "must be a path starting with '/' without spaces")]
    [InlineData("/a b", "must be a path starting with '/' without spaces")]
    [InlineData("/files/*.json", "may use '*' and '**' only as whole segments")]
    [InlineData("/**/x", "may use '**' only as the last segment")]
    public void Problem_Pattern_SaysWhatIsWrong(string pattern, string? problem) =>
        Assert.Equal(problem, BodyPathPattern.Problem(pattern));
}
