using Shipgate.Core.Triggers;
using Shipgate.Delivery.Gates;
using static Shipgate.Delivery.Tests.Gates.TestGates;

namespace Shipgate.Delivery.Tests.Gates;

public sealed class BranchGateTests
{
    private static GateResult Check(string gitRef, params string[] patterns)
    {
        var gate = new BranchGate(patterns.Select(FilterPattern.Create).ToList());
        return Evaluate(gate, Request(Environment(branches: patterns), gitRef), Requested);
    }

    [Theory]
    [InlineData("refs/heads/main", "main")]
    [InlineData("main", "main")]
    [InlineData("refs/heads/release/1.2", "release/*")]
    [InlineData("refs/heads/release/1/2", "release/**")]
    [InlineData("refs/tags/v1.0.0", "refs/tags/v*")]
    public void Evaluate_MatchingRef_Passes(string gitRef, string pattern)
    {
        var result = Check(gitRef, "develop", pattern);

        Assert.Equal(GateStatus.Pass, result.Status);
        Assert.Equal(GateNames.Branch, result.Gate);
        Assert.EndsWith($"may deploy to production (matches '{pattern}')", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refs/heads/feature/x", "main")]
    [InlineData("refs/heads/release/1/2", "release/*")]
    [InlineData("refs/tags/main", "main")]
    [InlineData("refs/pull/7/merge", "main")]
    [InlineData("refs/heads/mainline", "main")]
    public void Evaluate_OtherRef_Fails(string gitRef, string pattern)
    {
        var result = Check(gitRef, pattern);

        Assert.Equal(GateStatus.Fail, result.Status);
    }

    [Fact]
    public void Evaluate_Fail_NamesTheBranchAndTheAllowedPatterns()
    {
        var result = Check("refs/heads/feature/x", "main", "release/*");

        Assert.Equal("'feature/x' may not deploy to production, which allows main, release/*", result.Reason);
    }

    [Fact]
    public void Evaluate_LaterNegation_Excludes()
    {
        Assert.Equal(GateStatus.Fail, Check("refs/heads/release/old", "release/*", "!release/old").Status);
        Assert.Equal(GateStatus.Pass, Check("refs/heads/release/new", "release/*", "!release/old").Status);
    }

    [Fact]
    public void Evaluate_PatternAfterNegation_IncludesAgain() =>
        Assert.Equal(GateStatus.Pass, Check("refs/heads/release/old", "release/*", "!release/old", "release/old").Status);
}
